import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// `/api/v1/security/settings/{key}` refuses bad values with a 400 that names the field and says
// what is wrong with it — also for nullable fields, whose schema is a union with null.
forEachStore('security settings validation', (kind) => {
  let server: ServerProcess;
  let admin: string;
  const put = (key: string, body: unknown) =>
    call(server.url, 'PUT', `/api/v1/security/settings/${key}`, body, admin);

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  it('a nullable field out of range says the range, not "union"', async () => {
    const res = await put('browserSessionTimeout', { idleTimeout: 20_000 });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'body.idleTimeout: Expected integer to be less or equal to 10080');
  });

  it('a nullable text field says which pattern it must match', async () => {
    const res = await put('autoRedirectSSO', { enabled: true, idpAlias: 'Bad Alias' });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^body\.idpAlias: Expected string to match/);
  });

  it('other problems keep their own message; null and good values are stored', async () => {
    const missing = await put('autoRedirectSSO', { idpAlias: 'corp' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /^body\.enabled: Expected required property/);
    assert.equal((await put('browserSessionTimeout', { idleTimeout: null })).status, 200);
    assert.equal((await put('autoRedirectSSO', { enabled: true, idpAlias: 'corp-oidc' })).status, 200);
    const stored = await call(server.url, 'GET', '/api/v1/security/settings', undefined, admin);
    assert.deepEqual(stored.body.autoRedirectSSO, { enabled: true, idpAlias: 'corp-oidc' });
    assert.deepEqual(stored.body.browserSessionTimeout, { idleTimeout: null });
  });
});
