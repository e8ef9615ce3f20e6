import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtMain } from '../../../server/test/helpers/built-main.js';

export const CLI_BIN = fileURLToPath(new URL('../../bin/runai.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch home for one test: its own kubeconfig and CLI config. */
export interface CliHome {
  dir: string;
  kubeconfig: string;
  config: string;
  env: Record<string, string>;
  /** Runs `runai ARGS` as a real process in this home. */
  run(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Starts `runai ARGS` and lets the test watch its stderr while it runs. */
  start(args: string[]): RunningCli;
  dispose(): Promise<void>;
}

/**
 * Creates a scratch home (HOME, KUBECONFIG, RUNAI_CLI_CONFIG_PATH under a temp dir) and a runner
 * that starts the real CLI process (`node dist/main.js`, built: {@link builtMain}).
 *
 * @example
 * ```ts
 * const home = await cliHome()
 * const { code, stderr } = await home.run(['whoami'])
 * ```
 */
export async function cliHome(): Promise<CliHome> {
  const dir = await mkdtemp(join(tmpdir(), 'runai-cli-'));
  const kubeconfig = join(dir, '.kube', 'config');
  const config = join(dir, '.runai', 'config.json');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    KUBECONFIG: kubeconfig,
    RUNAI_CLI_CONFIG_PATH: config,
  };
  return {
    dir,
    kubeconfig,
    config,
    env,
    run: (args, options = {}) =>
      runProcess([builtMain('cli'), ...args], { ...env, ...options.env }, options.input),
    start: (args) => startProcess([builtMain('cli'), ...args], env),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs `node ARGS` from the repository root and collects its output. */
export function runProcess(
  args: string[],
  env: Record<string, string>,
  input?: string,
  command = process.execPath,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A CLI process still running. */
export interface RunningCli {
  /** Waits until stderr matches `pattern` and returns the match. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  done: Promise<CliResult>;
}

function startProcess(args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  let exited = false;
  void done.then(() => (exited = true));
  return {
    done,
    waitForStderr: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(stderr);
        if (match) return match;
        if (exited) break;
        await sleep(50);
      }
      child.kill();
      throw new Error(`CLI stderr never matched ${pattern}:\n${stderr}`);
    },
  };
}
