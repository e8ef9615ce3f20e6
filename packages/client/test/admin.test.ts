import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { TesseraApiError, TesseraClient } from '../src/index.js';
import { adminToken } from '../../server/test/helpers/api.js';
import { forEachStore } from '../../server/test/helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../../server/test/helpers/server-process.js';

// The typed client drives every Administrator API family against the real server.
forEachStore('client: Administrator API', (kind) => {
  let server: ServerProcess;
  let client: TesseraClient;

  before(async () => {
    server = await startServerProcess(kind);
    client = new TesseraClient({ baseUrl: server.url, token: await adminToken(server.url) });
  });
  after(async () => server?.dispose());

  it('manages clusters, departments and projects with filters and paging', async () => {
    const cluster = await client.clusters.create({ name: 'east', domain: 'http://127.0.0.1:9100' });
    assert.equal((await client.clusters.list()).length, 1);
    assert.match((await client.clusters.installInfo(cluster.uuid)).installationStr, /npm run cluster$/);
    await client.clusters.update(cluster.uuid, { name: 'east-1' });
    assert.equal((await client.clusters.get(cluster.uuid)).name, 'east-1');
    const dept = await client.departments.create({ name: 'ml', clusterId: cluster.uuid });
    for (const name of ['a-one', 'a-two', 'b-one'])
      await client.projects.create({
        name,
        clusterId: cluster.uuid,
        parentId: dept.id,
        resources: [{ gpu: { deserved: 1 } }],
      });
    const page = await client.projects.list({ filterBy: ['name=^a-'], limit: 1 });
    assert.deepEqual([page.projects.map((p) => p.name), page.next], [['a-one'], 1]);
    assert.equal((await client.projects.count({ filterBy: ['name=$one'] })).count, 2);
    assert.equal((await client.departments.count()).count, 1);
    const [first] = page.projects;
    assert.deepEqual(
      await client.projects.patchResources(first!.id, [{ nodePool: { id: 'a100' }, gpu: { deserved: 2 } }]),
      [{ gpu: { deserved: 1 } }, { nodePool: { id: 'a100' }, gpu: { deserved: 2 } }],
    );
    await assert.rejects(client.departments.delete(dept.id), (err: TesseraApiError) => err.status === 400);
    await client.projects.delete(first!.id);
    assert.equal((await client.departments.get(dept.id)).name, 'ml');
  });

  it('manages users, service accounts, access keys, settings and reads the audit log', async () => {
    const user = await client.users.create('grace@example.com');
    assert.ok(user.tempPassword);
    assert.equal((await client.users.list({ filterBy: ['username=@grace'] })).length, 1);
    assert.equal((await client.users.count()).count, 2);
    assert.ok((await client.users.resetPassword(user.id)).tempPassword);
    await client.users.logout(user.id);
    await client.users.delete(user.id);

    const sa = await client.serviceAccounts.create('builder');
    await client.serviceAccounts.setEnabled(sa.id, false);
    assert.equal((await client.serviceAccounts.get(sa.id)).enabled, false);
    assert.ok((await client.serviceAccounts.regenerateSecret(sa.id, { overlapSeconds: 60 })).clientSecret);
    assert.equal((await client.serviceAccounts.list()).length, 1);
    await client.serviceAccounts.delete(sa.id);

    const key = await client.accessKeys.create('ci');
    const anon = new TesseraClient({ baseUrl: server.url });
    assert.ok((await anon.token.clientCredentials(key.clientId, key.clientSecret)).accessToken);
    assert.ok((await client.accessKeys.regenerateSecret(key.id)).clientSecret);
    assert.equal((await client.accessKeys.list()).accessKeys.length, 1);
    await client.accessKeys.delete(key.id);

    await client.settings.set('security.passwordMinLength', 12);
    assert.equal(await client.settings.get('security.passwordMinLength'), 12);
    await client.settings.setSecurity('autoRedirectSSO', { enabled: true, idpAlias: 'okta' });
    assert.deepEqual((await client.settings.security()).autoRedirectSSO, { enabled: true, idpAlias: 'okta' });

    assert.ok((await client.me.permissions()).some((p) => p.resourceType === 'users'));
    assert.deepEqual((await client.me.permittedScopes('project')).read.tenants, ['1']);
    assert.equal((await client.me.countAccessRules()).count, 1);
    assert.equal((await client.accessRules.count()).count, 1);
    const log = await client.audit.log({
      start: '2020-01-01T00:00:00Z',
      end: '2100-01-01T00:00:00Z',
      filterBy: ['entity_type==users'],
    });
    assert.ok(log.audit_logs.some((e) => e.entity_name === 'grace@example.com' && e.action === 'delete'));
  });
});
