export { startCluster, CLUSTER_VERSION } from './start.js';
export { loadClusterConfig, ClusterConfigError, type ClusterConfig } from './config/config.js';
export { buildClusterServer } from './http/server.js';
export { createLocalExecutor } from './executor/local.js';
export type { Executor, PhaseSink } from './executor/executor.js';
export {
  openWorkloadStore,
  type WorkloadStore,
  type WorkloadRecord,
  type WorkloadKind,
} from './store/store.js';
export type { ClusterContext } from './context.js';
