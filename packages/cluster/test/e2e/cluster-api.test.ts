import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { call } from '../../../server/test/helpers/api.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import { startServerProcess } from '../../../server/test/helpers/server-process.js';
import { waitFor } from '../helpers/cluster-process.js';
import { readCluster } from '../helpers/control-plane.js';
import { assertSpecResponse } from '../helpers/spec.js';
import { appToken, createApp, startLandscape, type Landscape } from '../helpers/setup.js';

// Control plane and Cluster API as separate processes over real sockets: a Researcher application
// works on its project only, a Viewer reads only, foreign tokens get 401.
forEachStore('cluster API', (kind) => {
  let land: Landscape;
  let researcher: { id: string; token: string };
  let viewer: { id: string; token: string };

  before(async () => {
    land = await startLandscape(kind);
    researcher = await createApp(
      land.server.url,
      land.admin,
      'researcher-bot',
      ['researcher'],
      [land.projectP],
    );
    viewer = await createApp(land.server.url, land.admin, 'viewer-bot');
    const rule = await call(
      land.server.url,
      'POST',
      '/api/v1/authorization/access-rules',
      { subjectType: 'app', subjectId: viewer.id, roleId: 8, scopeType: 'project', scopeId: land.projectP },
      land.admin,
    );
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    // The new applications and the rule reach the cluster through the feed.
    await waitFor(async () => (await list(viewer.token)).status === 200, 5_000);
    await waitFor(async () => (await list(researcher.token)).status === 200, 5_000);
  });
  after(async () => land?.dispose());

  const c = (method: string, path: string, token: string, body?: unknown) =>
    call(land.cluster.url, method, path, body, token);
  const list = (token: string) => c('GET', '/api/v1/workloads', token);
  const training = (projectId: string, name: string) => ({
    name,
    projectId,
    clusterId: land.clusterId,
    spec: { image: 'alpine' },
  });

  it('a Researcher creates, lists, gets, suspends, resumes and deletes a training in its project', async () => {
    const created = await c(
      'POST',
      '/api/v1/workloads/trainings',
      researcher.token,
      training(land.projectP, 'train-1'),
    );
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = created.body.workloadId;
    assert.equal(created.body.projectId, land.projectP);
    assert.equal(created.body.desiredPhase, 'Running');

    await waitFor(
      async () => (await c('GET', `/api/v1/workloads/${id}`, researcher.token)).body.phase === 'Running',
      5_000,
    );
    const listed = await list(researcher.token);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.workloads.map((w: { id: string }) => w.id),
      [id],
    );
    assert.equal(listed.body.workloads[0].type, 'training');

    assert.equal(
      (await c('POST', `/api/v1/workloads/trainings/${id}/suspend`, researcher.token)).status,
      202,
    );
    const suspended = await c('GET', `/api/v1/workloads/trainings/${id}`, researcher.token);
    assert.equal(suspended.body.actualPhase, 'Stopped');
    assert.equal(suspended.body.desiredPhase, 'Stopped');

    assert.equal((await c('POST', `/api/v1/workloads/trainings/${id}/resume`, researcher.token)).status, 202);
    await waitFor(
      async () =>
        (await c('GET', `/api/v1/workloads/trainings/${id}`, researcher.token)).body.actualPhase ===
        'Running',
      5_000,
    );

    assert.equal((await c('DELETE', `/api/v1/workloads/trainings/${id}`, researcher.token)).status, 202);
    assert.equal((await c('GET', `/api/v1/workloads/trainings/${id}`, researcher.token)).status, 404);
    assert.deepEqual((await list(researcher.token)).body.workloads, []);
  });

  it('the Researcher also runs workspaces and inferences in P; each kind has its own paths', async () => {
    for (const kind of ['workspaces', 'inferences'] as const) {
      const made = await c(
        'POST',
        `/api/v1/workloads/${kind}`,
        researcher.token,
        training(land.projectP, `${kind}-1`),
      );
      assert.equal(made.status, 202, JSON.stringify(made.body));
      const id = made.body.workloadId;
      assert.equal((await c('GET', `/api/v1/workloads/${kind}/${id}`, researcher.token)).status, 200);
      assert.equal((await c('GET', `/api/v1/workloads/trainings/${id}`, researcher.token)).status, 404);
      assert.equal((await c('DELETE', `/api/v1/workloads/${kind}/${id}`, researcher.token)).status, 202);
    }
  });

  it('workload responses validate against the spec', async () => {
    const created = await c(
      'POST',
      '/api/v1/workloads/trainings',
      researcher.token,
      training(land.projectP, 'spec-check'),
    );
    assertSpecResponse('post', '/api/v1/workloads/trainings', 202, created.body);
    const id = created.body.workloadId;
    const one = await c('GET', `/api/v1/workloads/trainings/${id}`, researcher.token);
    assertSpecResponse('get', '/api/v1/workloads/trainings/{workloadId}', 200, one.body);
    assertSpecResponse(
      'get',
      '/api/v1/workloads/{workloadId}',
      200,
      (await c('GET', `/api/v1/workloads/${id}`, researcher.token)).body,
    );
    assertSpecResponse('get', '/api/v1/workloads', 200, (await list(researcher.token)).body);
    const suspended = await c('POST', `/api/v1/workloads/trainings/${id}/suspend`, researcher.token);
    assertSpecResponse('post', '/api/v1/workloads/trainings/{workloadId}/suspend', 202, suspended.body);
    const deleted = await c('DELETE', `/api/v1/workloads/trainings/${id}`, researcher.token);
    assertSpecResponse('delete', '/api/v1/workloads/trainings/{workloadId}', 202, deleted.body);
  });

  it('the Researcher gets 403 in project Q and sees only project P', async () => {
    const denied = await c(
      'POST',
      '/api/v1/workloads/trainings',
      researcher.token,
      training(land.projectQ, 'sneaky'),
    );
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
    const inQ = await c(
      'POST',
      '/api/v1/workloads/trainings',
      land.admin,
      training(land.projectQ, 'admin-job'),
    );
    assert.equal(inQ.status, 202);
    assert.equal((await c('GET', `/api/v1/workloads/${inQ.body.workloadId}`, researcher.token)).status, 403);
    assert.ok(
      !(await list(researcher.token)).body.workloads.some(
        (w: { projectId: string }) => w.projectId === land.projectQ,
      ),
    );
    const projects = await c('GET', '/api/v1/org-unit/projects', researcher.token);
    assert.deepEqual(
      projects.body.projects.map((p: { id: string }) => p.id),
      [land.projectP],
    );
  });

  it('a Viewer reads but cannot create, suspend or delete', async () => {
    const made = await c(
      'POST',
      '/api/v1/workloads/trainings',
      researcher.token,
      training(land.projectP, 'train-v'),
    );
    assert.equal(made.status, 202);
    const id = made.body.workloadId;
    assert.equal((await c('GET', `/api/v1/workloads/trainings/${id}`, viewer.token)).status, 200);
    assert.ok((await list(viewer.token)).body.workloads.some((w: { id: string }) => w.id === id));
    assert.equal(
      (await c('POST', '/api/v1/workloads/trainings', viewer.token, training(land.projectP, 'nope'))).status,
      403,
    );
    assert.equal((await c('POST', `/api/v1/workloads/trainings/${id}/suspend`, viewer.token)).status, 403);
    assert.equal((await c('DELETE', `/api/v1/workloads/trainings/${id}`, viewer.token)).status, 403);
  });

  it('bad input is a 400 naming the field', async () => {
    const badName = await c(
      'POST',
      '/api/v1/workloads/trainings',
      researcher.token,
      training(land.projectP, 'Bad_Name'),
    );
    assert.equal(badName.status, 400);
    assert.match(badName.body.message, /name/);
    const otherCluster = await c('POST', '/api/v1/workloads/trainings', researcher.token, {
      ...training(land.projectP, 'x'),
      clusterId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(otherCluster.status, 400);
    assert.match(otherCluster.body.message, /^clusterId/);
    const unknownProject = await c(
      'POST',
      '/api/v1/workloads/trainings',
      researcher.token,
      training('999', 'x'),
    );
    assert.equal(unknownProject.status, 400);
    assert.match(unknownProject.body.message, /^projectId/);
    const tooLarge = await c('POST', '/api/v1/workloads/trainings', researcher.token, {
      ...training(land.projectP, 'x'),
      padding: 'x'.repeat(2 * 1024 * 1024),
    });
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body.message, /too large/);
    assert.notEqual(
      tooLarge.headers.get('connection'),
      'close',
      'the rest was read (packages/http): no reset',
    );
  });

  it('a token from another issuer gets 401; no token gets 401 with WWW-Authenticate', async () => {
    const other = await startServerProcess('sqlite');
    try {
      const { adminToken } = await import('../../../server/test/helpers/api.js');
      const otherAdmin = await adminToken(other.url);
      const app = await call(
        other.url,
        'POST',
        '/api/v1/apps',
        { name: 'researcher-bot', roles: ['admin'] },
        otherAdmin,
      );
      const foreign = await appToken(other.url, 'researcher-bot', app.body.secret);
      const res = await list(foreign);
      assert.equal(res.status, 401);
    } finally {
      await other.dispose();
    }
    const anonymous = await call(land.cluster.url, 'GET', '/api/v1/workloads');
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('the cluster reports its status to the control plane; its token opens the feed only', async () => {
    const row = await readCluster(land.server.db, land.clusterId);
    assert.equal(row.version, '0.1.0');
    assert.ok(row.last_seen && Date.now() - row.last_seen < 60_000);
    const shown = await call(
      land.server.url,
      'GET',
      `/api/v1/clusters/${land.clusterId}`,
      undefined,
      land.admin,
    );
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.equal(shown.body.status.state, 'Connected');
    assert.equal(shown.body.version, '0.1.0');

    const secretless = await call(
      land.server.url,
      'GET',
      '/api/v1/cluster-feed/snapshot',
      undefined,
      researcher.token,
    );
    assert.equal(secretless.status, 401, 'an application token must not read the feed');
    const login = await call(land.server.url, 'POST', '/api/v1/token', {
      grantType: 'client_credentials',
      clientID: land.clusterId,
      clientSecret: land.clusterSecret,
    });
    assert.equal(login.status, 200);
    const feed = await call(
      land.server.url,
      'GET',
      '/api/v1/cluster-feed/snapshot',
      undefined,
      login.body.accessToken,
    );
    assert.equal(feed.status, 200);
    assert.equal(feed.body.clusterId, land.clusterId);
    const adminApi = await call(land.server.url, 'GET', '/api/v1/apps', undefined, login.body.accessToken);
    assert.equal(adminApi.status, 401, 'a cluster token must not open the Administrator API');
    const onCluster = await list(login.body.accessToken);
    assert.equal(onCluster.status, 401, 'a cluster token is not a workload credential');
    const wrong = await call(land.server.url, 'POST', '/api/v1/token', {
      grantType: 'client_credentials',
      clientID: land.clusterId,
      clientSecret: 'not-the-secret',
    });
    assert.equal(wrong.status, 401);
  });

  it('renaming the cluster leaves it signed in: it resyncs with the token it holds, no outage', async () => {
    const synced = () => land.cluster.output().split('"msg":"control plane synced"').length;
    const before = synced();
    const renamed = await call(
      land.server.url,
      'PUT',
      `/api/v1/clusters/${land.clusterId}`,
      { name: 'gpu-1-renamed' },
      land.admin,
    );
    assert.equal(renamed.status, 204, JSON.stringify(renamed.body));
    // The rename asks every cluster to resync; this one does so with the token it already holds.
    await waitFor(async () => synced() > before, 5_000, land.logs);
    assert.ok(!land.cluster.output().includes('control plane unreachable'), land.logs());
    assert.equal((await call(land.cluster.url, 'GET', '/readyz')).body.connected, true);
  });
});
