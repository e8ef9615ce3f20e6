import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createApp, describeReplicas, eventually, type CreatedApp } from '../helpers/replicas.js';

// The application grant's credential lookups are kept in process (credentials/credential-cache.ts).
// Every change must apply to the very next grant on the replica that made it, and on another replica
// as soon as PostgreSQL delivers the trigger's NOTIFY; a secret's expiry applies without any write.

const grant = (url: string, name: string, secret: string) =>
  call(url, 'POST', '/api/v1/token', { grantType: 'app_token', AppId: name, AppSecret: secret });

/** The status of an app_token grant, for {@link eventually}. */
const grantStatus = (url: string, app: CreatedApp, secret: string) => async () =>
  (await grant(url, app.name, secret)).status;

forEachStore('credential cache, one replica', (kind) => {
  let server: ServerProcess;
  let admin: string;
  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  it('disabling and enabling an application applies to the very next grant', async () => {
    const app = await createApp(server.url, admin, 'cache-toggle');
    for (let i = 0; i < 3; i++) assert.equal((await grant(server.url, app.name, app.secret)).status, 200);
    for (const enabled of [false, true, false]) {
      const res = await call(server.url, 'PATCH', `/api/v1/apps/${app.id}`, { enabled }, admin);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((await grant(server.url, app.name, app.secret)).status, enabled ? 200 : 401);
    }
  });

  it('a regenerated secret replaces the cached one at once; an overlapping one expires by itself', async () => {
    const app = await createApp(server.url, admin, 'cache-secret');
    assert.equal((await grant(server.url, app.name, app.secret)).status, 200);
    const rotated = await call(server.url, 'POST', `/api/v1/apps/${app.id}/secret`, undefined, admin);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const second = rotated.body.secret as string;
    assert.equal((await grant(server.url, app.name, app.secret)).status, 401, 'old secret, no overlap');
    assert.equal((await grant(server.url, app.name, second)).status, 200);

    const overlapped = await call(
      server.url,
      'POST',
      `/api/v1/apps/${app.id}/secret?overlapSeconds=2`,
      undefined,
      admin,
    );
    assert.equal(overlapped.status, 200, JSON.stringify(overlapped.body));
    const third = overlapped.body.secret as string;
    // Both cached now, the second with its expiry; nothing is written when it passes.
    assert.equal((await grant(server.url, app.name, second)).status, 200, 'old secret during the overlap');
    assert.equal((await grant(server.url, app.name, third)).status, 200);
    await sleep(2_200);
    assert.equal((await grant(server.url, app.name, third)).status, 200);
    assert.equal((await grant(server.url, app.name, second)).status, 401, 'old secret after the overlap');
  });

  it('a deleted application is unknown to the very next grant', async () => {
    const app = await createApp(server.url, admin, 'cache-delete');
    assert.equal((await grant(server.url, app.name, app.secret)).status, 200);
    const res = await call(server.url, 'DELETE', `/api/v1/apps/${app.id}`, undefined, admin);
    assert.ok(res.status < 300, JSON.stringify(res.body));
    assert.equal((await grant(server.url, app.name, app.secret)).status, 401);
  });

  it("a lock set by wrong secrets holds for the right one, though the application's lookup was cached", async () => {
    const app = await createApp(server.url, admin, 'cache-lock');
    assert.equal((await grant(server.url, app.name, app.secret)).status, 200);
    let last = 0;
    for (let i = 0; i < 10 && last !== 429; i++) last = (await grant(server.url, app.name, 'wrong')).status;
    assert.equal(last, 429);
    assert.equal((await grant(server.url, app.name, app.secret)).status, 429);
  });
});

describeReplicas('credential cache', (replicas) => {
  it('a secret regenerated on one replica replaces the one the other had cached', async () => {
    const { first, second, admin } = replicas();
    const app = await createApp(first.url, admin, 'replica-secret');
    assert.equal((await grant(second.url, app.name, app.secret)).status, 200);
    const rotated = await call(first.url, 'POST', `/api/v1/apps/${app.id}/secret`, undefined, admin);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal((await grant(first.url, app.name, app.secret)).status, 401);
    await eventually(grantStatus(second.url, app, app.secret), 401);
    await eventually(grantStatus(second.url, app, rotated.body.secret as string), 200);
  });

  it("a change made outside Tessera (an operator's SQL) reaches every replica through the trigger", async () => {
    const { first, second, admin } = replicas();
    const app = await createApp(first.url, admin, 'replica-sql');
    assert.equal((await grant(first.url, app.name, app.secret)).status, 200);
    assert.equal((await grant(second.url, app.name, app.secret)).status, 200);
    const store = openDirect(first.db);
    try {
      await store.db.updateTable('applications').set({ enabled: 0 }).where('id', '=', app.id).execute();
    } finally {
      await store.close();
    }
    await eventually(grantStatus(first.url, app, app.secret), 401);
    await eventually(grantStatus(second.url, app, app.secret), 401);
  });
});
