import assert from 'node:assert/strict';
import { adminToken, call } from '../../../server/test/helpers/api.js';
import { startServerProcess, type ServerProcess } from '../../../server/test/helpers/server-process.js';
import type { StoreKind } from '../../../server/test/helpers/stores.js';
import { startClusterProcess, waitFor, type ClusterProcess } from './cluster-process.js';

/** A control plane and one cluster, as separate processes, with projects P and Q on the cluster. */
export interface Landscape {
  server: ServerProcess;
  cluster: ClusterProcess;
  clusterId: string;
  clusterSecret: string;
  admin: string;
  projectP: string;
  projectQ: string;
  /** The last lines both processes logged, for an assertion's message: what the cluster saw. */
  logs(): string;
  dispose(): Promise<void>;
}

/**
 * Starts a control plane on `kind`, registers a cluster in its store, puts projects P and Q on it,
 * and starts the Cluster API process.
 */
export async function startLandscape(
  kind: StoreKind,
  clusterEnv: Record<string, string> = {},
): Promise<Landscape> {
  const server = await startServerProcess(kind);
  const admin = await adminToken(server.url);
  const row = await createClusterViaApi(server.url, admin, 'gpu-1');
  const dept = await call(
    server.url,
    'POST',
    '/api/v1/org-unit/departments',
    { name: 'research', clusterId: row.id },
    admin,
  );
  assert.equal(dept.status, 201, JSON.stringify(dept.body));
  const project = async (name: string) => {
    const res = await call(
      server.url,
      'POST',
      '/api/v1/org-unit/projects',
      { name, clusterId: row.id, parentId: String(dept.body.id), resources: [] },
      admin,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return String(res.body.id);
  };
  const projectP = await project('team-p');
  const projectQ = await project('team-q');
  const cluster = await startClusterProcess(server.url, row.id, row.secret, clusterEnv);
  // A cluster whose feed request fails refuses tokens it has not seen until it has resynced (a
  // fraction of a second later); CI once caught the admin's first call on the cluster in that window.
  // Waited for here, the admin's token is verified once and then served from the cluster's cache, as
  // through any brief outage. Each test's own tokens still take the uncached path.
  await waitFor(
    async () => (await call(cluster.url, 'GET', '/api/v1/workloads', undefined, admin)).status === 200,
    10_000,
    () => logsOf(server, cluster),
  );
  return {
    server,
    cluster,
    clusterId: row.id,
    clusterSecret: row.secret,
    admin,
    projectP,
    projectQ,
    logs: () => logsOf(server, cluster),
    dispose: async () => {
      await cluster.dispose();
      await server.dispose();
    },
  };
}

/** Creates an application with the seed's roles; returns its id, name, secret and a token. */
export async function createApp(
  url: string,
  admin: string,
  name: string,
  roles: string[] = [],
  projects: string[] = [],
): Promise<{ id: string; name: string; secret: string; token: string }> {
  const created = await call(url, 'POST', '/api/v1/apps', { name, roles, projects }, admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { ...created.body, token: await appToken(url, name, created.body.secret) };
}

/** An application's token through the seed's `app_token` grant. */
export async function appToken(url: string, name: string, secret: string): Promise<string> {
  const res = await call(url, 'POST', '/api/v1/token', {
    grantType: 'app_token',
    AppId: name,
    AppSecret: secret,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.accessToken;
}

/** Creates a cluster with the Administrator API and reads its secret from the install info. */
export async function createClusterViaApi(
  url: string,
  admin: string,
  name: string,
): Promise<{ id: string; secret: string }> {
  const created = await call(url, 'POST', '/api/v1/clusters', { name }, admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const info = await call(
    url,
    'GET',
    `/api/v1/clusters/${created.body.uuid}/cluster-install-info`,
    undefined,
    admin,
  );
  assert.equal(info.status, 200, JSON.stringify(info.body));
  return { id: created.body.uuid, secret: info.body.clientSecret };
}

/** The last lines each process logged. */
function logsOf(server: ServerProcess, cluster: ClusterProcess, count = 30): string {
  const last = (output: string) => output.trimEnd().split('\n').slice(-count).join('\n');
  return `control plane:\n${last(server.output())}\ncluster:\n${last(cluster.output())}`;
}
