import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createApp, describeReplicas, eventually, type CreatedApp } from '../helpers/replicas.js';

// The token endpoint reads tenant settings from an in-process cache (settings/settings-cache.ts).
// A change must apply at once on the replica that made it, and on every other replica as soon as
// PostgreSQL delivers its NOTIFY.

/** The `expiresIn` of an app_token grant: the tenant's access-token lifetime as the server sees it. */
async function lifetime(url: string, app: CreatedApp): Promise<number> {
  const res = await call<{ expiresIn: number }>(url, 'POST', '/api/v1/token', {
    grantType: 'app_token',
    AppId: app.name,
    AppSecret: app.secret,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.expiresIn;
}

async function setLifetime(url: string, admin: string, seconds: number): Promise<void> {
  const res = await call(
    url,
    'PUT',
    '/v1/k8s/setting',
    { key: 'tokens.accessTokenLifetimeSeconds', value: seconds },
    admin,
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

forEachStore('tenant settings cache, one replica', (kind) => {
  let server: ServerProcess;
  let admin: string;
  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  it('applies a change made on this replica to the very next grant', async () => {
    const app = await createApp(server.url, admin, 'cache-local');
    assert.equal(await lifetime(server.url, app), 3600);
    // Cached now; each change must still show on the next request, without waiting.
    for (const seconds of [120, 900, 3600]) {
      await setLifetime(server.url, admin, seconds);
      assert.equal(await lifetime(server.url, app), seconds);
    }
    const security = await call(
      server.url,
      'PUT',
      '/api/v1/security/settings/browserSessionTimeout',
      { idleTimeout: 30 },
      admin,
    );
    assert.equal(security.status, 200, JSON.stringify(security.body));
    const read = await call(
      server.url,
      'GET',
      '/api/v1/security/settings/browserSessionTimeout',
      undefined,
      admin,
    );
    assert.deepEqual(read.body, { idleTimeout: 30 });
  });
});

describeReplicas('tenant settings cache', (replicas) => {
  it('a change made on one replica reaches the other replica, which had cached the old value', async () => {
    const { first, second, admin } = replicas();
    const app = await createApp(first.url, admin, 'cache-replicas');
    assert.equal(await lifetime(second.url, app), 3600);
    assert.equal(await lifetime(second.url, app), 3600);
    await setLifetime(first.url, admin, 300);
    assert.equal(await lifetime(first.url, app), 300);
    await eventually(() => lifetime(second.url, app), 300);
    // And back the other way, from the second replica.
    const secondAdmin = await adminToken(second.url);
    await setLifetime(second.url, secondAdmin, 1800);
    assert.equal(await lifetime(second.url, app), 1800);
    await eventually(() => lifetime(first.url, app), 1800);
  });

  it('refuses an application disabled on one replica on the other, which had cached it', async () => {
    const { first, second, admin } = replicas();
    const app = await createApp(first.url, admin, 'cache-disable');
    assert.equal(await lifetime(second.url, app), 1800);
    const disabled = await call(first.url, 'PATCH', `/api/v1/apps/${app.id}`, { enabled: false }, admin);
    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    // The credential cache (credentials/credential-cache.ts) hears of it through PostgreSQL's NOTIFY.
    const refused = async () =>
      (
        await call(second.url, 'POST', '/api/v1/token', {
          grantType: 'app_token',
          AppId: app.name,
          AppSecret: app.secret,
        })
      ).status;
    await eventually(refused, 401);
  });
});
