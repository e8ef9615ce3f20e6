/** Long jobs (argon2id hashes) now running or queued on libuv's thread pool. */
let longJobs = 0;

/**
 * Runs `job`, a long task on libuv's thread pool (an argon2id hash: tens of milliseconds), counted
 * so that short tasks can stay off the pool meanwhile ({@link threadPoolHeld}).
 *
 * @example
 * ```ts
 * const ok = await longThreadPoolJob(() => argon2.verify(stored, password))
 * ```
 */
export async function longThreadPoolJob<T>(job: () => Promise<T>): Promise<T> {
  longJobs++;
  try {
    return await job();
  } finally {
    longJobs--;
  }
}

/**
 * Whether long jobs hold libuv's thread pool. A short task queued there then waits behind them (a
 * token signature of 40 µs behind argon2id hashes of 60 ms each: the password grant fell from
 * 0.98–1.00 to 0.85–0.93 of the bare argon2id rate), so callers do short work on the event loop
 * meanwhile.
 *
 * @example
 * ```ts
 * const signature = threadPoolHeld() ? signNow() : await signOnThreadPool()
 * ```
 */
export function threadPoolHeld(): boolean {
  return longJobs > 0;
}
