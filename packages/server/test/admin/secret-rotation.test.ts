import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { decodeJwt } from 'jose';
import { adminToken, call } from '../helpers/api.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// Service accounts, access keys and applications log in with `client_credentials`; a rotation keeps
// both secrets working during the overlap and only the new one after it.
forEachStore('secret rotation', (kind) => {
  let server: ServerProcess;
  let admin: string;

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  const login = (clientID: string, clientSecret: string) =>
    call(server.url, 'POST', '/api/v1/token', { grantType: 'client_credentials', clientID, clientSecret });

  it('a service account: both secrets work during the overlap, the old one fails after it', async () => {
    const sa = (await call(server.url, 'POST', '/api/v1/service-accounts', { name: 'deployer' }, admin)).body;
    const first = await login(sa.clientId, sa.clientSecret);
    assert.equal(first.status, 200);
    assert.equal(decodeJwt(first.body.accessToken).subject_type, 'service-account');

    const rotated = await call(
      server.url,
      'POST',
      `/api/v1/service-accounts/${sa.id}/secret?overlapSeconds=2`,
      undefined,
      admin,
    );
    assert.equal(rotated.status, 200);
    const fresh = rotated.body.clientSecret as string;
    assert.notEqual(fresh, sa.clientSecret);
    assert.equal((await login(sa.clientId, sa.clientSecret)).status, 200, 'old secret during the overlap');
    assert.equal((await login(sa.clientId, fresh)).status, 200, 'new secret during the overlap');
    // A token from before the rotation keeps working during the overlap.
    assert.equal(
      (await call(server.url, 'GET', '/api/v1/authorization/permissions', undefined, first.body.accessToken))
        .status,
      200,
    );

    await sleep(2_200);
    const old = await login(sa.clientId, sa.clientSecret);
    assert.equal(old.status, 401, 'old secret after the overlap');
    assert.equal(old.body.message, 'Invalid credentials');
    assert.equal((await login(sa.clientId, fresh)).status, 200, 'new secret after the overlap');
    const listed = await call(server.url, 'GET', `/api/v1/service-accounts/${sa.id}`, undefined, admin);
    assert.ok(listed.body.lastLogin, 'lastLogin is reported');
  });

  it('without an overlap the old secret and its tokens stop at once; a third rotation keeps at most two secrets', async () => {
    const sa = (await call(server.url, 'POST', '/api/v1/service-accounts', { name: 'nightly' }, admin)).body;
    const token = (await login(sa.clientId, sa.clientSecret)).body.accessToken;
    const second = (
      await call(server.url, 'POST', `/api/v1/service-accounts/${sa.id}/secret`, undefined, admin)
    ).body.clientSecret;
    assert.equal((await login(sa.clientId, sa.clientSecret)).status, 401);
    assert.equal(
      (await call(server.url, 'GET', '/api/v1/authorization/permissions', undefined, token)).status,
      401,
    );
    const third = (
      await call(
        server.url,
        'POST',
        `/api/v1/service-accounts/${sa.id}/secret?overlapSeconds=600`,
        undefined,
        admin,
      )
    ).body.clientSecret;
    const fourth = (
      await call(
        server.url,
        'POST',
        `/api/v1/service-accounts/${sa.id}/secret?overlapSeconds=600`,
        undefined,
        admin,
      )
    ).body.clientSecret;
    assert.equal((await login(sa.clientId, second)).status, 401, 'the oldest of three is gone');
    assert.equal((await login(sa.clientId, third)).status, 200);
    assert.equal((await login(sa.clientId, fourth)).status, 200);
  });

  it('a disabled service account cannot log in and its tokens fail', async () => {
    const sa = (await call(server.url, 'POST', '/api/v1/service-accounts', { name: 'paused' }, admin)).body;
    const token = (await login(sa.clientId, sa.clientSecret)).body.accessToken;
    await call(server.url, 'PATCH', `/api/v1/service-accounts/${sa.id}`, { enabled: false }, admin);
    assert.equal((await login(sa.clientId, sa.clientSecret)).status, 401);
    assert.equal(
      (await call(server.url, 'GET', '/api/v1/authorization/permissions', undefined, token)).status,
      401,
    );
  });

  it("an access key acts with its user's permissions and dies with the key", async () => {
    const key = (await call(server.url, 'POST', '/api/v1/access-keys', { name: 'laptop' }, admin)).body;
    const res = await login(key.clientId, key.clientSecret);
    assert.equal(res.status, 200);
    const claims = decodeJwt(res.body.accessToken);
    assert.equal(claims.subject_type, 'user');
    assert.equal(claims.client_id, key.clientId);
    // The admin's permissions: it may create a user.
    const created = await call(
      server.url,
      'POST',
      '/api/v1/users',
      { email: 'via-key@example.com' },
      res.body.accessToken,
    );
    assert.equal(created.status, 201);
    await call(server.url, 'DELETE', `/api/v1/access-keys/${key.id}`, undefined, admin);
    assert.equal(
      (await call(server.url, 'GET', '/api/v1/users', undefined, res.body.accessToken)).status,
      401,
    );
    assert.equal((await login(key.clientId, key.clientSecret)).status, 401);
  });

  it('an application rotated with an overlap keeps both secrets until it ends', async () => {
    const app = (await call(server.url, 'POST', '/api/v1/apps', { name: 'rotating-app' }, admin)).body;
    const fresh = (
      await call(server.url, 'POST', `/api/v1/apps/${app.id}/secret?overlapSeconds=600`, undefined, admin)
    ).body.secret;
    assert.equal((await login(app.clientId, app.secret)).status, 200);
    assert.equal((await login(app.clientId, fresh)).status, 200);
  });

  it('an application rotated without an overlap but with an expiry: the old secret and its tokens stop at once', async () => {
    const app = (await call(server.url, 'POST', '/api/v1/apps', { name: 'expiring-app' }, admin)).body;
    const token = (await login(app.clientId, app.secret)).body.accessToken;
    const rotated = await call(
      server.url,
      'POST',
      `/api/v1/apps/${app.id}/secret?overlapSeconds=0&expiresInSeconds=3600`,
      undefined,
      admin,
    );
    assert.equal(rotated.status, 200);
    assert.equal((await login(app.clientId, app.secret)).status, 401, 'old secret');
    assert.equal((await login(app.clientId, rotated.body.secret)).status, 200, 'new secret');
    assert.equal(
      (await call(server.url, 'GET', '/api/v1/authorization/permissions', undefined, token)).status,
      401,
      "the old secret's token",
    );
  });

  it('the tenant token lifetime drives expiresIn', async () => {
    const put = await call(
      server.url,
      'PUT',
      '/v1/k8s/setting',
      { key: 'tokens.accessTokenLifetimeSeconds', value: 600 },
      admin,
    );
    assert.equal(put.status, 200);
    const sa = (await call(server.url, 'POST', '/api/v1/service-accounts', { name: 'short-lived' }, admin))
      .body;
    const res = await login(sa.clientId, sa.clientSecret);
    assert.equal(res.body.expiresIn, 600);
    const claims = decodeJwt(res.body.accessToken);
    assert.equal((claims.exp as number) - (claims.iat as number), 600);
  });
});
