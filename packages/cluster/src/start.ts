import { createGuard, type Guard } from '@tessera/guard';
import { createLogger, LogDestination } from '@tessera/log';
import type { ClusterConfig } from './config/config.js';
import type { ClusterContext } from './context.js';
import { createLocalExecutor } from './executor/local.js';
import { buildClusterServer } from './http/server.js';
import { openWorkloadStore } from './store/store.js';
import { recordPhase } from './workloads/access.js';

/** Reported to the control plane as this cluster's version. */
export const CLUSTER_VERSION = '0.1.0';

/**
 * Starts a Cluster API: its store, the local executor (resuming workloads that were running), the
 * guard (syncing from the control plane in the background) and HTTP. Returns how to stop it.
 *
 * @example
 * ```ts
 * const { url, stop } = await startCluster(loadClusterConfig(process.env))
 * ```
 */
export async function startCluster(
  config: ClusterConfig,
  options: { guard?: Guard } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const log = createLogger(config.logLevel, new LogDestination(config.logBufferBytes));
  const store = openWorkloadStore(config.dataDir);
  const executor = createLocalExecutor(config, (id, phase) => recordPhase({ store }, id, phase));
  for (const w of store.list()) {
    if (w.deletedAt === null && w.desiredPhase === 'Running' && !['Completed', 'Failed'].includes(w.phase)) {
      executor.start(w);
    }
  }
  const guard =
    options.guard ??
    createGuard({
      controlPlaneUrl: config.controlPlaneUrl,
      clientId: config.clusterId,
      clientSecret: config.clusterSecret,
      version: CLUSTER_VERSION,
      onEvent: (e) =>
        e.type === 'disconnected'
          ? log.warn({ error: e.error }, 'control plane unreachable')
          : log.info({ event: e.type }, `control plane ${e.type}`),
    });
  const ctx: ClusterContext = { config, guard, store, executor };
  const app = await buildClusterServer(ctx, log);
  const url = await app.listen({ port: config.port, host: config.host });
  log.info({ url, controlPlane: config.controlPlaneUrl }, 'tessera cluster listening');
  // Supervisors and scripts wait for this line: write it now rather than with the next few.
  log.flush();
  return {
    url,
    stop: async () => {
      guard.stop();
      executor.close();
      await app.close();
      store.close();
      log.info('tessera cluster stopped');
      await new Promise<void>((resolve) => log.flush(() => resolve()));
    },
  };
}
