import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuBudget, threadPoolSize } from '../../../packages/server/src/crypto/cpu-budget.js';
import { deriveMasterKey } from '../../../packages/server/src/crypto/master-key.js';
import type { BenchOptions } from '../options.js';
import { freePort, rssMb, startChild } from '../proc.js';
import { seedApps, type SeededApp } from './seed.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const ADMIN_EMAIL = 'bench-admin@example.com';
export const ADMIN_PASSWORD = 'bench-admin-password-1';

/**
 * libuv's thread pool as the server's launcher sizes it (`packages/server/src/launch.cts`), given to
 * every Tessera process of a run, and to the bare argon2id baseline, so that a `--server-main` or
 * `--baseline` build started from its `main.js` runs its hashes on the same pool.
 */
export const THREAD_POOL_SIZE = String(threadPoolSize(cpuBudget()));

/** A running Tessera control plane on a fresh store, seeded with applications. */
export interface TesseraTarget {
  url: string;
  pid: number;
  store: 'sqlite' | 'postgres';
  apps: SeededApp[];
  /** RSS after start and seeding, before any load. */
  idleRssMb: number;
  /** The server's stdout and stderr: its log, one line per request at `info`. */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the real server (built `dist/launch.cjs`, or `src/main.ts` through tsx) as a child process on
 * loopback, with a fresh data dir and, for PostgreSQL, a fresh database; then seeds `appCount`
 * applications. Logging stays at the shipped default (`info`), written to a file in the data dir,
 * copied on stop to `options.keepLogsDir` (when set) as `<name>.log`.
 *
 * @example
 * ```ts
 * const t = await startTessera(options, 'sqlite', 10)
 * ```
 */
export async function startTessera(
  options: BenchOptions,
  store: 'sqlite' | 'postgres',
  appCount: number,
  name = `tessera-${store}-${appCount}`,
): Promise<TesseraTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), `tessera-bench-${store}-`));
  const logFile = join(dataDir, 'server.log');
  const root = randomBytes(32);
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (store === 'postgres') {
    const name = `tessera_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin(options.postgresUrl, `create database ${name}`);
    const url = new URL(options.postgresUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => admin(options.postgresUrl, `drop database if exists ${name} with (force)`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const profile = [
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
    ...options.nodeFlags,
  ];
  const args =
    options.server === 'dist'
      ? [...profile, options.serverMain ?? join(REPO, 'packages/server/dist/launch.cjs')]
      : [
          ...profile,
          '--conditions=tessera-source',
          '--import',
          'tsx',
          join(REPO, 'packages/server/src/main.ts'),
        ];
  const child = await startChild(
    args,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      TESSERA_DATA_DIR: dataDir,
      TESSERA_MASTER_KEY: root.toString('base64'),
      TESSERA_ADMIN_EMAIL: ADMIN_EMAIL,
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NODE_ENV: 'production',
      UV_THREADPOOL_SIZE: THREAD_POOL_SIZE,
      TESSERA_LOG_LEVEL: options.logLevel,
      ...(databaseUrl ? { TESSERA_DATABASE_URL: databaseUrl } : {}),
    },
    url,
    '/readyz',
    logFile,
    REPO,
  );
  try {
    const pepper = deriveMasterKey(root).pepper;
    const apps = await seedApps(
      databaseUrl ? { kind: 'postgres', databaseUrl } : { kind: 'sqlite', dataDir },
      pepper,
      appCount,
    );
    return {
      url,
      pid: child.pid,
      store,
      apps,
      idleRssMb: rssMb(child.pid),
      logFile,
      stop: async () => {
        await child.stop();
        if (options.keepLogsDir) copyFileSync(logFile, join(options.keepLogsDir, `${name}.log`));
        await dropDatabase();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await child.stop();
    await dropDatabase();
    throw err;
  }
}

async function admin(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
