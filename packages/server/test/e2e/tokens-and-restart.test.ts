import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const TOKENS = 10_000;
const CONCURRENCY = 16;

forEachStore('issued tokens, stored secrets and restarts', (kind) => {
  let server: ServerProcess;
  let admin: string;
  let app: { id: string; name: string; secret: string };
  const issued: string[] = [];

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
    const res = await call(
      server.url,
      'POST',
      '/api/v1/apps',
      { name: 'many-tokens', roles: ['admin'] },
      admin,
    );
    assert.equal(res.status, 201);
    app = res.body;
  });
  after(async () => server?.dispose());

  it(`issues ${TOKENS} tokens that all verify and whose payload segments hold no "-" or "_"`, async () => {
    let next = 0;
    const worker = async () => {
      while (next < TOKENS) {
        next += 1;
        const res = await call(server.url, 'POST', '/api/v1/token', {
          grantType: 'app_token',
          AppId: app.name,
          AppSecret: app.secret,
        });
        assert.equal(res.status, 200);
        issued.push(res.body.accessToken);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.equal(issued.length, TOKENS);

    const jwks = createLocalJWKSet((await call(server.url, 'GET', '/.well-known/jwks.json')).body);
    const jtis = new Set<string>();
    for (const token of issued) {
      const payloadSegment = token.split('.')[1] as string;
      assert.doesNotMatch(payloadSegment, /[-_]/);
      assert.equal(payloadSegment.length % 4, 0, 'no base64 padding needed');
      // What the Python SDK does: a standard (not URL-safe) base64 decode of the payload.
      const decoded = JSON.parse(Buffer.from(payloadSegment, 'base64').toString('utf8'));
      assert.ok(decoded.exp);
      const { payload } = await jwtVerify(token, jwks, {
        issuer: server.url,
        audience: 'runai',
        typ: 'at+jwt',
      });
      jtis.add(payload.jti as string);
    }
    assert.equal(jtis.size, TOKENS, 'every jti is unique');
  });

  it('returns the secret only at creation and regeneration, and stores no plaintext', async () => {
    const listed = await call(server.url, 'GET', '/api/v1/apps', undefined, admin);
    const one = await call(server.url, 'GET', `/api/v1/apps/${app.id}`, undefined, admin);
    for (const body of [listed.body, one.body]) {
      assert.ok(!JSON.stringify(body).includes(app.secret));
      assert.ok(!JSON.stringify(body).toLowerCase().includes('secret'));
    }
    const store = openDirect(server.db);
    try {
      const dump = JSON.stringify([
        await store.db.selectFrom('applications').selectAll().execute(),
        await store.db.selectFrom('credential_secrets').selectAll().execute(),
        await store.db.selectFrom('audit_events').selectAll().execute(),
        await store.db.selectFrom('signing_keys').selectAll().execute(),
      ]);
      assert.ok(!dump.includes(app.secret), 'the plaintext secret is nowhere in the store');
      const secrets = await store.db
        .selectFrom('credential_secrets')
        .select('secret_hash')
        .where('owner_id', '=', app.id)
        .execute();
      assert.equal(secrets.length, 1);
      assert.match(secrets[0]!.secret_hash, /^[0-9a-f]{64}$/);
      const keys = await store.db.selectFrom('signing_keys').select('private_key_enc').execute();
      for (const key of keys)
        assert.ok(!Buffer.from(key.private_key_enc, 'base64').toString('latin1').includes('PRIVATE KEY'));
    } finally {
      await store.close();
    }
    assert.ok(!server.output().includes(app.secret), 'the secret never reached a log line');
  });

  it('keeps tokens valid and data in place across a restart', async () => {
    const before = await call(server.url, 'GET', '/api/v1/apps', undefined, admin);
    await server.restart();
    // The log buffer (TESSERA_LOG_BUFFER) is written out on SIGTERM: the request just before the stop
    // and the stop itself are in the first run's output.
    const firstRun = server.output().split('"msg":"tessera stopped"');
    assert.equal(firstRun.length, 2, 'the first run logged its stop');
    const lastRequest = (firstRun[0] as string)
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .at(-1);
    assert.match(lastRequest ?? '', /"method":"GET","url":"\/api\/v1\/apps"/);
    const jwks = createLocalJWKSet((await call(server.url, 'GET', '/.well-known/jwks.json')).body);
    for (const token of [issued[0] as string, issued[TOKENS - 1] as string, admin]) {
      await jwtVerify(token, jwks, { issuer: server.url, audience: 'runai' });
    }
    const afterRestart = await call(server.url, 'GET', '/api/v1/apps', undefined, admin);
    assert.equal(afterRestart.status, 200, 'a token minted before the restart is still accepted');
    assert.deepEqual(
      afterRestart.body.map((a: { id: string }) => a.id),
      before.body.map((a: { id: string }) => a.id),
    );
    const viaOld = await call(server.url, 'GET', `/api/v1/apps/${app.id}`, undefined, issued[5]);
    assert.equal(viaOld.status, 200);
    const again = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'app_token',
      AppId: app.name,
      AppSecret: app.secret,
    });
    assert.equal(again.status, 200);
    assert.ok(!server.output().includes(app.secret), 'the secret never reached a log line, to the last one');
    assert.ok(!server.output().includes(admin), 'nor did a bearer token sent in a header');
  });
});
