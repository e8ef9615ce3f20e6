import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, it } from 'node:test';
import { CompactSign, generateKeyPair } from 'jose';
import { call } from '../../../server/test/helpers/api.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import { waitFor } from '../helpers/cluster-process.js';
import { appClaims, signWithControlPlaneKey } from '../helpers/control-plane.js';
import { createApp, startLandscape, type Landscape } from '../helpers/setup.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

// Every forged or out-of-bounds token is refused by the cluster with 401. Tokens signed with the
// control plane's real key change one claim at a time, so exactly one check can be the one that fails.
forEachStore('forged tokens on the cluster', (kind) => {
  let land: Landscape;
  let app: { id: string; token: string };
  let issuer: string;
  const forged = new Map<string, () => Promise<string>>();

  before(async () => {
    land = await startLandscape(kind);
    app = await createApp(land.server.url, land.admin, 'target', ['researcher'], [land.projectP]);
    issuer = land.server.url;
    await waitFor(async () => (await list(app.token)).status === 200, 5_000);
  });
  after(async () => land?.dispose());

  const list = (token: string) => call(land.cluster.url, 'GET', '/api/v1/workloads', undefined, token);
  const real = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    signWithControlPlaneKey(land.server.db, appClaims(issuer, app.id, claims), header);
  const segments = () => app.token.split('.') as [string, string, string];
  const kidOf = () => JSON.parse(Buffer.from(segments()[0], 'base64url').toString()).kid as string;

  forged.set('alg none', async () => {
    const [, payload] = segments();
    return `${b64({ alg: 'none', typ: 'at+jwt', kid: kidOf() })}.${payload}.`;
  });
  forged.set('HS256 signed with the public key', async () => {
    const jwks = (await (await fetch(`${land.server.url}/.well-known/jwks.json`)).json()) as {
      keys: unknown[];
    };
    const secret = JSON.stringify(jwks.keys[0]);
    const head = b64({ alg: 'HS256', typ: 'at+jwt', kid: kidOf() });
    const body = b64(appClaims(issuer, app.id));
    const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  });
  forged.set('wrong signature', async () => {
    const other = await real();
    const [h, p] = segments();
    return `${h}.${p}.${other.split('.')[2]}`;
  });
  forged.set('tampered payload', async () => {
    const [h, p, s] = segments();
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    return `${h}.${b64({ ...claims, exp: claims.exp + 86_400 })}.${s}`;
  });
  forged.set('expired', () =>
    real({ exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 1200 }),
  );
  forged.set('not yet valid', () => real({ nbf: Math.floor(Date.now() / 1000) + 3600 }));
  forged.set('wrong issuer', () => real({ iss: 'https://evil.example' }));
  forged.set('wrong audience', () => real({ aud: 'someone-else' }));
  forged.set('another tenant', () => real({ tenant_id: 2 }));
  forged.set('wrong typ', () => real({}, { typ: 'JWT' }));
  forged.set('unknown kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    return new CompactSign(new TextEncoder().encode(JSON.stringify(appClaims(issuer, app.id))))
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'not-a-known-kid' })
      .sign(privateKey);
  });
  forged.set('truncated', async () => segments().slice(0, 2).join('.'));
  forged.set('truncated signature', async () => app.token.slice(0, -12));
  forged.set('extra segments', async () => `${app.token}.${segments()[2]}`);
  forged.set('garbage', async () => 'not-a-jwt');

  it('the genuine token and a genuine re-signed token are accepted (the forgeries below differ by one thing)', async () => {
    assert.equal((await list(app.token)).status, 200);
    assert.equal((await list(await real())).status, 200);
  });

  for (const [label, make] of forged) {
    it(`${label}: 401`, async () => {
      const token = await make();
      const res = await list(token);
      assert.equal(res.status, 401, `${label}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    });
  }
});
