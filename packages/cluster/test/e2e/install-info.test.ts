import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../../../server/test/helpers/api.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../../../server/test/helpers/server-process.js';
import { startClusterProcess, waitFor, type ClusterProcess } from '../helpers/cluster-process.js';
import { createApp } from '../helpers/setup.js';

// The operator's path: create a cluster with the Administrator API, start the Cluster API with the
// values of its install info, see it Connected in /api/v1/clusters; org units created afterwards
// reach it through the feed.
forEachStore('cluster from its install info', (kind) => {
  let server: ServerProcess;
  let cluster: ClusterProcess | undefined;
  let admin: string;
  let uuid: string;

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => {
    await cluster?.dispose();
    await server?.dispose();
  });

  const api = (method: string, path: string, body?: unknown) => call(server.url, method, path, body, admin);

  it('starts with the installationStr values and shows as Connected with its version', async () => {
    const created = await api('POST', '/api/v1/clusters', { name: 'gpu-2' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    uuid = created.body.uuid;
    const info = await api('GET', `/api/v1/clusters/${uuid}/cluster-install-info`);
    assert.equal(info.status, 200);
    const env = Object.fromEntries(
      [...(info.body.installationStr as string).matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]),
    );
    assert.match(info.body.installationStr, / npm run cluster$/);
    assert.equal(env.TESSERA_CLUSTER_UUID, uuid);
    assert.equal(env.TESSERA_CLUSTER_SECRET, info.body.clientSecret);
    assert.equal(env.TESSERA_CONTROL_PLANE_URL, server.url);

    const before = await api('GET', `/api/v1/clusters/${uuid}`);
    assert.equal(before.body.status.state, 'WaitingToConnect');
    cluster = await startClusterProcess(
      env.TESSERA_CONTROL_PLANE_URL!,
      env.TESSERA_CLUSTER_UUID!,
      env.TESSERA_CLUSTER_SECRET!,
    );
    const shown = await api('GET', `/api/v1/clusters/${uuid}`);
    assert.equal(shown.body.status.state, 'Connected');
    assert.equal(shown.body.version, '0.1.0');
    assert.ok(shown.body.lastLiveness);
  });

  it('departments and projects created through the API reach the cluster; access follows them', async () => {
    const dept = await api('POST', '/api/v1/org-unit/departments', { name: 'research', clusterId: uuid });
    assert.equal(dept.status, 201, JSON.stringify(dept.body));
    const project = await api('POST', '/api/v1/org-unit/projects', {
      name: 'team-x',
      clusterId: uuid,
      parentId: String(dept.body.id),
      resources: [],
    });
    assert.equal(project.status, 201, JSON.stringify(project.body));
    const projectId = String(project.body.id);
    const app = await createApp(server.url, admin, 'x-bot', ['researcher'], [projectId]);
    const c = cluster!;
    const delay = await waitFor(async () => {
      const res = await call(c.url, 'GET', '/api/v1/org-unit/projects', undefined, app.token);
      return res.status === 200 && res.body.projects.some((p: { id: string }) => p.id === projectId);
    }, 5_000);
    console.log(`project and access rule reached the cluster [${kind}] in ${delay} ms`);
    const made = await call(
      c.url,
      'POST',
      '/api/v1/workloads/trainings',
      { name: 'x1', projectId, clusterId: uuid },
      app.token,
    );
    assert.equal(made.status, 202, JSON.stringify(made.body));
  });
});
