import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtMain } from '../../../server/test/helpers/built-main.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A Cluster API running as a child process on a free port. */
export interface ClusterProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Starts the Cluster API (`packages/cluster/dist/main.js`) as a separate process (PORT=0) against a
 * control plane and waits until `/readyz` answers 200 (it has synced).
 *
 * @example
 * ```ts
 * const cluster = await startClusterProcess(server.url, row.id, row.secret)
 * ```
 */
export async function startClusterProcess(
  controlPlaneUrl: string,
  clusterId: string,
  secret: string,
  env: Record<string, string> = {},
): Promise<ClusterProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cluster-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [builtMain('cluster')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      TESSERA_CONTROL_PLANE_URL: controlPlaneUrl,
      TESSERA_CLUSTER_UUID: clusterId,
      TESSERA_CLUSTER_SECRET: secret,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_EXECUTOR_PENDING_MS: '300',
      TESSERA_EXECUTOR_RUN_MS: '600000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"tessera cluster listening"/.exec(
        output.slice(-4000),
      );
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cluster exited with ${code}:\n${output}`));
    });
  });
  await waitFor(
    async () => (await fetch(`${url}/readyz`)).status === 200,
    20_000,
    () => output,
  );

  async function stop(): Promise<void> {
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      // 'close', not 'exit': the output pipes are read to their end, so output() has the last lines.
      child.once('close', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  }
  return {
    url,
    output: () => output,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `check` every 25 ms until it returns true; throws after `timeoutMs`.
 *
 * @example
 * ```ts
 * await waitFor(async () => (await fetch(url)).status === 200, 5000)
 * ```
 */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  context: () => string = () => '',
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms\n${context()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
