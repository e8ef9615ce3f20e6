import type { Guard } from '@tessera/guard';
import type { ClusterConfig } from './config/config.js';
import type { Executor } from './executor/executor.js';
import type { WorkloadStore } from './store/store.js';

/** What every Cluster API feature receives. Built once in `startCluster`. */
export interface ClusterContext {
  readonly config: ClusterConfig;
  readonly guard: Guard;
  readonly store: WorkloadStore;
  readonly executor: Executor;
}
