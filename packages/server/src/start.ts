import { createLogger, LogDestination } from '@tessera/log';
import { bootstrap } from './bootstrap/bootstrap.js';
import type { Config } from './config/config.js';
import type { Context } from './context.js';
import { startCredentialCache } from './credentials/credential-cache.js';
import { cpuBudget, signsOffEventLoop } from './crypto/cpu-budget.js';
import { loadMasterKey } from './crypto/master-key.js';
import { buildServer } from './http/server.js';
import { ensureSigningKey, openKeyRing } from './keys/key-ring.js';
import { startKeyRotation } from './keys/rotation.js';
import { stopSignWorker } from './keys/sign-worker.js';
import { startHousekeeping } from './oauth/housekeeping.js';
import { startSettingsCache } from './settings/settings-cache.js';
import { migrate, openStore } from './store/store.js';

/**
 * Starts the control plane: config, store (migrated under a cross-process lock), first-start
 * bootstrap, keys, then HTTP. Returns a function that stops it.
 *
 * @example
 * ```ts
 * const { url, stop } = await start(loadConfig(process.env))
 * ```
 */
export async function start(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const log = createLogger(config.logLevel, new LogDestination(config.logBufferBytes));
  const store = openStore(config);
  const master = loadMasterKey(config.masterKey, config.dataDir);
  const result = await store.exclusive(async (db) => {
    await migrate(db, store.dialect);
    const outcome = await bootstrap(db, config);
    await ensureSigningKey(db, master, config.signingAlgorithm);
    return outcome;
  });
  const settingsCache = startSettingsCache(store.db, config.databaseUrl, log);
  const credentialCache = startCredentialCache(store, config.databaseUrl, log);
  const cpus = cpuBudget();
  const signOffEventLoop = signsOffEventLoop(config.signOffEventLoop, cpus);
  const keys = await openKeyRing({
    db: store.db,
    master,
    algorithm: config.signingAlgorithm,
    keepRetiredMs: (config.accessTokenTtlSec + 300) * 1000,
    signOffEventLoop,
  });
  let issuer = config.publicUrl ?? '';
  const ctx: Context = { config, store, master, keys, issuer: () => issuer, log };
  const app = await buildServer(ctx, log);
  const address = await app.listen({ port: config.port, host: config.host });
  // Set before the event loop can hand this server a connection (see DEVELOPERS.md, "issuer").
  issuer ||= address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]');
  const stopRotation = startKeyRotation(ctx);
  const stopHousekeeping = startHousekeeping(ctx);
  log.info(
    { url: issuer, store: store.dialect, cpus, signing: signOffEventLoop ? 'worker thread' : 'event loop' },
    'tessera listening',
  );
  // Supervisors and scripts wait for this line: write it now rather than with the next few.
  log.flush();

  if (result.createdAdmin?.generatedPassword) {
    // Deliberately not a log line: shown once on the terminal, never shipped to log storage.
    process.stderr.write(
      `\n  First start: created administrator ${result.createdAdmin.email}\n` +
        `  Password (shown once, change it after signing in): ${result.createdAdmin.generatedPassword}\n\n`,
    );
  }
  return {
    url: issuer,
    stop: async () => {
      stopRotation();
      stopHousekeeping();
      await app.close();
      // Shared by the process; another server's unanswered signatures finish on the thread pool.
      await stopSignWorker();
      await settingsCache.stop();
      await credentialCache.stop();
      await store.close();
      log.info('tessera stopped');
      await new Promise<void>((resolve) => log.flush(() => resolve()));
    },
  };
}
