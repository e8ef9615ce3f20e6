import { loadConfig, type Config } from './config/config.js';
import { ConfigError } from './config/settings.js';
import { start } from './start.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tessera: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { stop } = await start(config);
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`tessera: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
