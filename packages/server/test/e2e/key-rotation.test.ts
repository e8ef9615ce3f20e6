import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

async function jwks(url: string) {
  const res = await fetch(`${url}/.well-known/jwks.json`);
  return { cache: res.headers.get('cache-control'), set: (await res.json()) as { keys: { kid: string }[] } };
}

forEachStore('signing-key rotation (server)', (kind) => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(kind);
  });
  after(async () => server?.dispose());

  it('on demand: System administrators only; old tokens keep working, new ones use the new kid; audited', async () => {
    const admin = await adminToken(server.url);
    const oldKid = decodeProtectedHeader(admin).kid;
    const editor = await call(
      server.url,
      'POST',
      '/api/v1/apps',
      { name: 'editor-bot', roles: ['editor'] },
      admin,
    );
    const editorToken = (
      await call(server.url, 'POST', '/api/v1/token', {
        grantType: 'app_token',
        AppId: 'editor-bot',
        AppSecret: editor.body.secret,
      })
    ).body.accessToken;
    assert.equal(
      (await call(server.url, 'POST', '/api/v1/security/signing-keys/rotate', undefined, editorToken)).status,
      403,
    );

    const rotated = await call(server.url, 'POST', '/api/v1/security/signing-keys/rotate', undefined, admin);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal(rotated.body.length, 2);
    const published = await jwks(server.url);
    assert.match(published.cache ?? '', /max-age=300/);
    assert.equal(published.set.keys.length, 2);

    // The token minted before the rotation still works, at the API and against the published JWKS.
    assert.equal((await call(server.url, 'GET', '/api/v1/apps', undefined, admin)).status, 200);
    await jwtVerify(admin, createLocalJWKSet(published.set as never), {
      issuer: server.url,
      audience: 'runai',
    });
    const fresh = await adminToken(server.url);
    const newKid = decodeProtectedHeader(fresh).kid;
    assert.notEqual(newKid, oldKid);
    assert.equal(rotated.body.find((k: { retiredAt: string | null }) => k.retiredAt === null).kid, newKid);
    await jwtVerify(fresh, createLocalJWKSet(published.set as never), {
      issuer: server.url,
      audience: 'runai',
    });
    const store = openDirect(server.db);
    try {
      const events = await store.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'signing-key.rotate')
        .execute();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.resource_id, newKid);
      assert.equal(events[0]!.actor_type, 'user');
    } finally {
      await store.close();
    }
  });
});

forEachStore('signing-key rotation on a schedule', (kind) => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(kind, { TESSERA_KEY_ROTATION_INTERVAL: '2' });
  });
  after(async () => server?.dispose());

  it('rotates by itself and keeps the retired key published', async () => {
    const first = await adminToken(server.url);
    const firstKid = decodeProtectedHeader(first).kid;
    let kid = firstKid;
    for (let i = 0; i < 40 && kid === firstKid; i++) {
      await new Promise((r) => setTimeout(r, 250));
      kid = decodeProtectedHeader(await adminToken(server.url)).kid;
    }
    assert.notEqual(kid, firstKid);
    const { set } = await jwks(server.url);
    assert.ok(set.keys.some((k) => k.kid === firstKid));
    assert.equal((await call(server.url, 'GET', '/api/v1/apps', undefined, first)).status, 200);
  });
});
