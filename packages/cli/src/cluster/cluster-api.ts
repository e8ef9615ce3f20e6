import { send, serverMessage, type HttpAnswer } from '../auth/http.js';
import { accessToken } from '../auth/session.js';
import { CliError, loginNeeded } from '../errors.js';
import type { Runtime } from '../runtime.js';

/** A workload as `GET /api/v1/workloads` lists it (the fields the CLI shows). */
export interface Workload {
  id: string;
  name: string;
  type: string;
  projectId: string;
  projectName: string;
  clusterId: string;
  phase: string;
  createdAt: string;
  submittedBy: string;
  [key: string]: unknown;
}

/** A project the Cluster API serves. */
export interface ClusterProject {
  id: string;
  name: string;
  clusterId?: string;
}

/**
 * The current cluster's Cluster API URL: `runai config set --cluster-url`, else the control
 * plane's record of `--cluster` (its `domain`), else the current kubeconfig context's server.
 */
export async function clusterUrl(rt: Runtime): Promise<string> {
  if (rt.config.clusterUrl) return rt.config.clusterUrl;
  const { token, issuer, kc } = await accessToken(rt);
  if (rt.config.clusterId) {
    const res = await send<{ domain?: string }>(
      `${issuer}/api/v1/clusters/${encodeURIComponent(rt.config.clusterId)}`,
      {
        token,
      },
    );
    if (res.status === 200 && typeof res.body?.domain === 'string' && res.body.domain) {
      return res.body.domain.replace(/\/+$/, '');
    }
  }
  const server = kc.currentServer();
  if (server) return server.replace(/\/+$/, '');
  throw new CliError('no cluster is configured', {
    hint: 'run `runai config set --cluster <uuid>` or `runai config set --cluster-url <Cluster API URL>`',
  });
}

/**
 * The configured cluster's URL as the control plane records it (`GET /api/v1/clusters/{id}` →
 * `domain`), or `--cluster-url`; undefined when neither is known or the lookup is refused.
 *
 * @example
 * ```ts
 * const server = await clusterDomain(rt, issuer, token)
 * ```
 */
export async function clusterDomain(rt: Runtime, issuer: string, token: string): Promise<string | undefined> {
  if (rt.config.clusterUrl) return rt.config.clusterUrl;
  if (!rt.config.clusterId) return undefined;
  const res = await send<{ domain?: string | null }>(
    `${issuer}/api/v1/clusters/${encodeURIComponent(rt.config.clusterId)}`,
    { token },
  );
  const domain = res.status === 200 ? res.body?.domain : undefined;
  return typeof domain === 'string' && domain !== '' ? domain.replace(/\/+$/, '') : undefined;
}

/**
 * Calls the current cluster's Cluster API with a fresh access token; HTTP errors become readable
 * messages (401 → exit 3 with the login command; 403 → "permission denied"; others → exit 1).
 *
 * @example
 * ```ts
 * const { workloads } = await clusterCall<{ workloads: Workload[] }>(rt, 'GET', '/api/v1/workloads')
 * ```
 */
export async function clusterCall<T>(rt: Runtime, method: string, path: string, body?: unknown): Promise<T> {
  const base = await clusterUrl(rt);
  const { token } = await accessToken(rt);
  const res = await send<T>(`${base}${path}`, { method, json: body, token });
  if (res.status >= 200 && res.status < 300) return res.body;
  throw clusterError(res as HttpAnswer);
}

function clusterError(res: HttpAnswer): CliError {
  const message = serverMessage(res);
  if (res.status === 401) return loginNeeded(`the cluster refused your token (${message})`);
  if (res.status === 403) return new CliError(`permission denied: ${message}`);
  if (res.status === 404) return new CliError(`not found: ${message}`);
  return new CliError(`${message} (HTTP ${res.status})`);
}

/**
 * The project named or numbered `nameOrId` among those the caller may see on this cluster.
 *
 * @example
 * ```ts
 * const project = await findProject(rt, 'team-a')
 * ```
 */
export async function findProject(rt: Runtime, nameOrId: string): Promise<ClusterProject> {
  const { projects } = await clusterCall<{ projects: ClusterProject[] }>(
    rt,
    'GET',
    '/api/v1/org-unit/projects',
  );
  const found = projects.find((p) => p.name === nameOrId) ?? projects.find((p) => p.id === nameOrId);
  if (!found) {
    throw new CliError(`project "${nameOrId}" was not found on this cluster, or you have no access to it`, {
      hint: 'see the projects you can use with `runai list projects`',
    });
  }
  return found;
}

/** Finds a workload by id or name (optionally within a project). */
export async function findWorkload(rt: Runtime, nameOrId: string, projectId?: string): Promise<Workload> {
  const query = new URLSearchParams({ limit: '500' });
  if (projectId) query.set('projectId', projectId);
  const { workloads } = await clusterCall<{ workloads: Workload[] }>(rt, 'GET', `/api/v1/workloads?${query}`);
  const matches = workloads.filter((w) => w.id === nameOrId || w.name === nameOrId);
  if (matches.length === 0)
    throw new CliError(`workload "${nameOrId}" not found`, { hint: 'see `runai list workloads`' });
  if (matches.length > 1) {
    throw new CliError(`"${nameOrId}" names workloads in several projects`, {
      hint: 'add `-p PROJECT` or use the id',
    });
  }
  return matches[0] as Workload;
}

/** The Cluster API path segment of a workload type (`training` → `trainings`). */
export function kindPath(type: string): string {
  return type.endsWith('s') ? type : `${type}s`;
}
