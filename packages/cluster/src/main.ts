#!/usr/bin/env node
import { ClusterConfigError, loadClusterConfig, type ClusterConfig } from './config/config.js';
import { startCluster } from './start.js';

async function main(): Promise<void> {
  let config: ClusterConfig;
  try {
    config = loadClusterConfig(process.env);
  } catch (err) {
    if (err instanceof ClusterConfigError) {
      process.stderr.write(`tessera-cluster: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { stop } = await startCluster(config);
  const shutdown = () =>
    void stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`tessera-cluster: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
