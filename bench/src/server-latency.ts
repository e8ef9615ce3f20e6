import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOG_FLUSH_INTERVAL_MS } from '../../packages/log/src/destination.js';
import { quantile } from './paced.js';

/** Long enough for the server's log buffer (`TESSERA_LOG_BUFFER`) to have written what it holds. */
const SETTLE_MS = LOG_FLUSH_INTERVAL_MS + 100;

/** Fewer request lines than this (a log level above `info`) give no figure. */
const MIN_LINES = 100;

/**
 * Runs `run` and reads, from the lines Tessera's request log (`OneLineRequestLog` in
 * `packages/log/src/request-log.ts`) appended to `logFile` meanwhile, the p99 of `responseTime`:
 * the server's own time from a request's headers to the end of its answer, without the kernel's
 * queues, the scheduling of the other processes on the two cores or the load generator's own
 * pauses, which all weigh on the p99 the client sees. Where the bare limit's p99 at half rate runs
 * to 100 ms on a noisy machine, this tells whether Tessera's share of the latency meets the bound.
 * `serverP99` is absent when the log holds no request lines.
 *
 * @example
 * ```ts
 * const { result, serverP99 } = await withServerLatency(target.logFile, () => measurePaced(url, shape, o))
 * ```
 */
export async function withServerLatency<T>(
  logFile: string,
  run: () => Promise<T>,
): Promise<{ result: T; serverP99?: number }> {
  // Lines still buffered from before the run would count as the run's, and its own last lines would
  // be missed.
  await sleep(SETTLE_MS);
  const from = statSync(logFile).size;
  const result = await run();
  await sleep(SETTLE_MS);
  const times = responseTimes(appended(logFile, from));
  if (times.length < MIN_LINES) return { result };
  times.sort((a, b) => a - b);
  return { result, serverP99: quantile(times, 0.99) };
}

function appended(file: string, from: number): string {
  const size = statSync(file).size;
  const buffer = Buffer.alloc(Math.max(0, size - from));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

function responseTimes(text: string): number[] {
  const times: number[] = [];
  for (const match of text.matchAll(/"responseTime":([0-9.e+-]+)[^\n]*"msg":"request completed"/g))
    times.push(Number(match[1]));
  return times;
}
