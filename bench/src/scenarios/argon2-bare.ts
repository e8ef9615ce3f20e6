import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Measurement } from '../load.js';
import type { Scenario } from '../scenario.js';
import { THREAD_POOL_SIZE } from '../targets/tessera.js';
import { ARGON2_CONCURRENCY } from './password.js';

const CHILD = fileURLToPath(new URL('../argon2-bare-child.ts', import.meta.url));

/**
 * The bare cost of the password grant: `argon2.verify` with the server's parameters (OWASP
 * argon2id), 4 at a time, with no HTTP at all, in a process of its own whose thread pool is the
 * server's (`THREAD_POOL_SIZE`): the harness's own pool started at libuv's default of 4 threads,
 * and on two CPUs four hashes at once verify fewer passwords a second than two (bench/README.md).
 */
export const argon2BareScenario: Scenario = {
  id: 'argon2id.bare',
  label: 'bare argon2id verify (same parameters)',
  target: 'none',
  connections: ARGON2_CONCURRENCY,
  prepare: async () => ({
    kind: 'local',
    run: async (durationSec) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', CHILD, String(durationSec), String(ARGON2_CONCURRENCY)],
        { env: { PATH: process.env.PATH ?? '', UV_THREADPOOL_SIZE: THREAD_POOL_SIZE } },
      );
      return JSON.parse(stdout) as Omit<Measurement, 'loadgenCpu'>;
    },
  }),
};
