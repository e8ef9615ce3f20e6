import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Where token signatures are computed (`TESSERA_SIGN_OFF_EVENT_LOOP`). */
export type SigningPlacement = 'auto' | 'always' | 'never';

/** Reads a file's text, or undefined when it cannot be read. */
export type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * How many CPUs this process may use: its CPU affinity (`os.availableParallelism()`), capped by a
 * cgroup CPU quota (v2 `cpu.max`, v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`), as a container's
 * CPU limit sets it. Node 20's libuv (1.46) reads only the affinity, so a pod limited to one CPU on
 * a 16-core node would otherwise count 16. May be fractional (`0.5` for a limit of 500m).
 *
 * @example
 * ```ts
 * cpuBudget() // 2 on a 2-core machine; 1 in a container with `cpu.max` = "100000 100000"
 * ```
 */
export function cpuBudget(read: ReadText = readText, parallelism = availableParallelism()): number {
  const quota = cgroupV2Quota(read) ?? cgroupV1Quota(read);
  return quota === undefined ? parallelism : Math.min(parallelism, quota);
}

/** cgroup v2: `cpu.max` of this process's group is "max 100000" (no limit) or "<quota> <period>". */
function cgroupV2Quota(read: ReadText): number | undefined {
  const group = /^0::(\/.*)$/m.exec(read('/proc/self/cgroup') ?? '')?.[1];
  // Inside a container's cgroup namespace the group is "/", and its files are at the mount's root.
  const text =
    (group && group !== '/' ? read(`/sys/fs/cgroup${group}/cpu.max`) : undefined) ??
    read('/sys/fs/cgroup/cpu.max');
  const [quota, period] = (text ?? '').trim().split(/\s+/);
  return ratio(quota, period);
}

function cgroupV1Quota(read: ReadText): number | undefined {
  for (const dir of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct']) {
    const quota = read(`${dir}/cpu.cfs_quota_us`)?.trim();
    if (quota !== undefined) return ratio(quota, read(`${dir}/cpu.cfs_period_us`)?.trim());
  }
  return undefined;
}

/** A quota over its period, or undefined for "max", -1 (v1's "no limit") and anything unreadable. */
function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
}

/**
 * Whether token signatures are computed off the event loop (on a worker thread:
 * `keys/sign-worker.ts`). There an ES256 signature runs on another core while the event loop serves
 * other requests, but the hand-over costs the event loop and the process CPU of their own: worth it
 * only when a second core can take the work. So `auto` signs off the event loop when the process may
 * use at least 2 CPUs; with one, the other thread would only take turns with the event loop on the
 * same core (bench/README.md: on one core, signing on the thread pool served 0.91 × the rate of
 * signing in place).
 *
 * @example
 * ```ts
 * signsOffEventLoop('auto', cpuBudget()) // true on 2 CPUs or more
 * signsOffEventLoop('auto', 1) // false
 * signsOffEventLoop('auto', 4) // true
 * ```
 */
export function signsOffEventLoop(placement: SigningPlacement, budget: number): boolean {
  return placement === 'always' || (placement === 'auto' && budget >= 2);
}

/**
 * How many threads libuv's thread pool gets when `UV_THREADPOOL_SIZE` does not say (`launch.cts`
 * sets it): the CPU budget rounded up, at least 2 and at most libuv's own default of 4. The pool's
 * long jobs are argon2id hashes (19 MiB each, memory-bound): on two CPUs, four at once verified
 * 92.8–93.9 passwords a second against 100.2–104.0 for two, and each thread that has hashed keeps its
 * 19 MiB in its allocator arena afterwards, which after a burst of sign-ins took a server past 300 MB
 * under token load (bench/README.md, seventeenth session). At least 2, so that a short job (a log
 * write, a DNS lookup) does not always wait behind a hash on one CPU.
 *
 * @example
 * ```ts
 * threadPoolSize(2) // 2
 * threadPoolSize(0.5) // 2
 * threadPoolSize(16) // 4
 * ```
 */
export function threadPoolSize(budget: number): number {
  return Math.min(4, Math.max(2, Math.ceil(budget)));
}
