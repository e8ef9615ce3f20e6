import autocannon from 'autocannon';
import { coresBetween, cpuSecondsOf, rssMb, serverCpuMeter } from './proc.js';
import type { FirstUses } from './scenario.js';

/** One request the load generator sends; `next` picks a fresh body per request when given. */
export interface RequestShape {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request: returns its body (e.g. a random application's credentials). */
  next?: () => string;
  /** Counted by `next` (`pickCountingFirsts`): each run reports its own share of first uses. */
  firstUses?: Readonly<FirstUses>;
  /**
   * Requests the harness sends before the warm-up, `next` naming every item once (`eachOnce`): the
   * server then has met every application, as a 10-application scenario's warm-up meets its ten.
   */
  firstPass?: { requests: number; next: () => string };
}

/** What one measured run yields. Latencies in milliseconds; CPU as cores used (1 = one core). */
export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Socket errors, timeouts and responses other than the expected status, added up. */
  errors: number;
  /** The first unexpected answer (status and the start of its body), to say what the errors were. */
  firstError?: string;
  loadgenCpu: number;
  serverCpu?: number;
  /** Cores the server's main thread (its event loop) used, a part of `serverCpu`. */
  eventLoopCpu?: number;
  /** Cores PostgreSQL's processes used, for a server on PostgreSQL (the server's other half). */
  databaseCpu?: number;
  peakRssMb?: number;
  /** Of this run's requests, the share naming an item for the first time (shapes with `firstUses`). */
  firstShare?: number;
}

/**
 * Drives `url` with autocannon for `durationSec` (or for `amount` requests) and measures the load
 * generator's own CPU and the server process's CPU and peak RSS (sampled every 100 ms). `rate` caps
 * the overall request rate.
 *
 * @example
 * ```ts
 * const m = await measure('http://127.0.0.1:8080', { method: 'GET', path: '/healthz' }, { durationSec: 5, connections: 16 })
 * ```
 */
export async function measure(
  url: string,
  shape: RequestShape,
  options: {
    durationSec: number;
    connections: number;
    /** Send this many requests, however long they take (`durationSec` is then ignored). */
    amount?: number;
    rate?: number;
    serverPid?: number;
    expectStatus?: number;
    /** Also measure the CPU of the PostgreSQL server's processes (same machine). */
    databaseCpu?: boolean;
  },
): Promise<Measurement> {
  const pid = options.serverPid;
  let peakRss = pid ? rssMb(pid) : 0;
  const sampler = pid ? setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 100) : undefined;
  const serverCpu = pid ? serverCpuMeter(pid) : undefined;
  const databaseStart = options.databaseCpu ? cpuSecondsOf('postgres') : undefined;
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  const expect = options.expectStatus ?? 200;
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  const next = shape.next;
  const uses = shape.firstUses && { ...shape.firstUses };
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSec,
    ...(options.amount ? { amount: options.amount } : {}),
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: shape.method,
        path: shape.path,
        headers: shape.headers,
        body: shape.body,
        ...(next
          ? {
              // `req` already has a `body`: overwriting a property the spread copied keeps V8's
              // cloned hidden class (only adding a new one is slow, bench/object-spread.ts). Measured:
              // 44–46 µs of the load generator's CPU a request, 52–56 with Object.assign.
              // eslint-disable-next-line no-restricted-syntax
              setupRequest: (req: Record<string, unknown>) => ({ ...req, body: next() }),
            }
          : {}),
        onResponse: (status: number, body: string) => {
          if (status === expect) return;
          unexpected += 1;
          if (unexpected === 1) firstUnexpected = `${status} ${String(body).slice(0, 200)}`;
        },
      },
    ],
  } as autocannon.Options);
  const wallSec = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  if (sampler) clearInterval(sampler);
  return {
    // autocannon's mean of per-second counts; a run of a set amount ends inside a second, which
    // that mean would count as a whole one.
    rps: options.amount ? result.requests.total / wallSec : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + unexpected,
    ...(firstUnexpected ? { firstError: firstUnexpected } : {}),
    loadgenCpu: (cpu.user + cpu.system) / 1e6 / wallSec,
    ...(serverCpu ? Object.assign(serverCpu.cores(), { peakRssMb: peakRss }) : {}),
    ...(databaseStart ? { databaseCpu: coresBetween(databaseStart, cpuSecondsOf('postgres'), wallSec) } : {}),
    ...(uses && shape.firstUses ? { firstShare: shareSince(uses, shape.firstUses) } : {}),
  };
}

function shareSince(before: FirstUses, now: FirstUses): number {
  const sent = now.sent - before.sent;
  return sent > 0 ? (now.firsts - before.firsts) / sent : 0;
}

/**
 * Waits for the requests a run left in flight: autocannon stops sending when its time is up, but the
 * server still answers what it received. Starting the next run at once would overlap the two, which
 * for the password grant means 4 abandoned + 4 new attempts on one account at the same time, and the
 * throttle (5 attempts counted before they are checked) rightly answered 429 now and then.
 *
 * @example
 * ```ts
 * await settle(await measure(url, shape, { durationSec: 1, connections: 16 }))
 * ```
 */
export function settle(previous: Pick<Measurement, 'p99'>): Promise<void> {
  const ms = Math.min(5_000, Math.max(100, 2 * previous.p99));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
