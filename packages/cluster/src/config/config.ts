import { DEFAULT_LOG_BUFFER_BYTES, MAX_LOG_BUFFER_BYTES } from '@tessera/log';
import { resolve } from 'node:path';

/** The Cluster API's configuration, read once at start from the environment. */
export interface ClusterConfig {
  readonly port: number;
  readonly host: string;
  readonly controlPlaneUrl: string;
  readonly clusterId: string;
  readonly clusterSecret: string;
  readonly dataDir: string;
  readonly logLevel: string;
  /** Bytes of log lines gathered before they are written (`TESSERA_LOG_BUFFER`; 0: each line at once). */
  readonly logBufferBytes: number;
  /** How long the local executor keeps a workload Pending, then Running, in ms. */
  readonly pendingMs: number;
  readonly runMs: number;
}

/** A configuration value that stops start-up, naming the variable. */
export class ClusterConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`${key}: ${problem}`);
    this.name = 'ClusterConfigError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(env: Record<string, string | undefined>, key: string, fallback: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max)
    throw new ClusterConfigError(key, `must be an integer 0..${max}`);
  return Number(raw);
}

function required(env: Record<string, string | undefined>, key: string): string {
  const value = env[key]?.trim();
  if (!value) throw new ClusterConfigError(key, 'is required');
  return value;
}

/**
 * Reads `PORT`, `HOST`, `TESSERA_CONTROL_PLANE_URL`, `TESSERA_CLUSTER_UUID`, `TESSERA_CLUSTER_SECRET`,
 * `TESSERA_DATA_DIR`, `TESSERA_LOG_LEVEL`, `TESSERA_LOG_BUFFER` and the local executor's
 * `TESSERA_EXECUTOR_PENDING_MS` / `TESSERA_EXECUTOR_RUN_MS`. A wrong value throws {@link ClusterConfigError}.
 *
 * @example
 * ```ts
 * const config = loadClusterConfig(process.env)
 * ```
 */
export function loadClusterConfig(env: Record<string, string | undefined>): ClusterConfig {
  const controlPlaneUrl = required(env, 'TESSERA_CONTROL_PLANE_URL').replace(/\/+$/, '');
  try {
    const u = new URL(controlPlaneUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new ClusterConfigError('TESSERA_CONTROL_PLANE_URL', 'must be an http(s) URL');
  }
  const clusterId = required(env, 'TESSERA_CLUSTER_UUID').toLowerCase();
  if (!UUID.test(clusterId)) throw new ClusterConfigError('TESSERA_CLUSTER_UUID', 'must be a UUID');
  const logLevel = env.TESSERA_LOG_LEVEL || 'info';
  if (!LEVELS.includes(logLevel))
    throw new ClusterConfigError('TESSERA_LOG_LEVEL', `must be one of ${LEVELS.join(', ')}`);
  return Object.freeze({
    port: int(env, 'PORT', 8081, 65535),
    host: env.HOST || '127.0.0.1',
    controlPlaneUrl,
    clusterId,
    clusterSecret: required(env, 'TESSERA_CLUSTER_SECRET'),
    dataDir: resolve(env.TESSERA_DATA_DIR || './data-cluster'),
    logLevel,
    logBufferBytes: int(env, 'TESSERA_LOG_BUFFER', DEFAULT_LOG_BUFFER_BYTES, MAX_LOG_BUFFER_BYTES),
    pendingMs: int(env, 'TESSERA_EXECUTOR_PENDING_MS', 1_000, 3_600_000),
    runMs: int(env, 'TESSERA_EXECUTOR_RUN_MS', 60_000, 86_400_000),
  });
}
