import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builtMain } from './built-main.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from './stores.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct-horse-battery';

/** A control plane running as a child process on a free port, over its own fresh database. */
export interface ServerProcess {
  url: string;
  db: TestDatabase;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The running process's id. */
  pid(): number | undefined;
  /** Stops and starts the process again on the same database and data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Stops the process and drops its database; fails if the server answered with a 5xx other than
   * the `expectedServerErrors` it was started with.
   */
  dispose(): Promise<void>;
}

/**
 * Starts the control plane (`packages/server/dist/launch.cjs`, {@link builtMain}) in a child process
 * with PORT=0 on a fresh database of `kind` and waits until it logs its URL. Real process, real
 * socket. With `shareDatabaseOf`, it is another replica on that server's database and data dir
 * instead (dispose the replica first). A test that makes the server fail on purpose says how many
 * 5xx answers it expects (`expectedServerErrors`).
 *
 * @example
 * ```ts
 * const server = await startServerProcess('sqlite')
 * await fetch(`${server.url}/healthz`)
 * ```
 */
export async function startServerProcess(
  kind: StoreKind,
  env: Record<string, string> = {},
  options: { shareDatabaseOf?: ServerProcess; expectedServerErrors?: number } = {},
): Promise<ServerProcess> {
  // A second replica serves the first one's database (PostgreSQL); the first one drops it.
  const shared = options.shareDatabaseOf?.db;
  const db = shared ?? (await createTestDatabase(kind));
  let child: ChildProcess | undefined;
  let output = '';
  let url = '';
  let port = '0';

  async function launch(): Promise<void> {
    child = spawn(process.execPath, [builtMain('server')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: port,
        HOST: '127.0.0.1',
        TESSERA_DATA_DIR: db.dataDir,
        TESSERA_ADMIN_EMAIL: ADMIN_EMAIL,
        TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
        TESSERA_LOG_LEVEL: 'info',
        ...(db.databaseUrl ? { TESSERA_DATABASE_URL: db.databaseUrl } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`server did not start in 60 s:\n${output}`));
      }, 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"tessera listening"/.exec(output.slice(-4000));
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${output}`));
      });
    });
    port = new URL(url).port;
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      // 'close', not 'exit': the log lines written as the process exits may still be in the pipe.
      proc.once('close', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5_000).unref();
    });
  }

  await launch();
  return {
    get url() {
      return url;
    },
    db,
    output: () => output,
    pid: () => child?.pid,
    restart: async () => {
      await stop();
      await launch();
    },
    stop,
    dispose: async () => {
      await stop();
      if (!shared) await db.drop();
      const fiveHundreds = output.split('\n').filter((line) => /"statusCode":5\d\d/.test(line));
      if (fiveHundreds.length !== (options.expectedServerErrors ?? 0))
        throw new Error(
          `the server answered with ${fiveHundreds.length} 5xx, expected ${options.expectedServerErrors ?? 0}:\n${fiveHundreds.join('\n')}`,
        );
    },
  };
}
