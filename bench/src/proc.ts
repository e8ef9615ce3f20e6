import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A server the harness started as a child process on loopback. */
export interface ChildServer {
  url: string;
  pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** A free TCP port on loopback, so the harness knows the URL before the child starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Flags of every server the harness starts (the limits, the peer, Tessera). V8's memory reducer
 * shrinks an idle process's heap; the first seconds of load after that ran the peer at 19–77 % of
 * its rate, with a p99 of 785 ms in the first second (bench/README.md, twenty-seventh session). The
 * paired rounds leave each server idle for a minute between its 5 s runs, the reducer's best case,
 * and it hit the servers unequally (the peer most). Under sustained load, what the issue measures,
 * the reducer does not run, so turning it off changes no steady-state rate; it takes the idle gaps
 * the harness itself makes out of the comparison. The peak RSS reads higher for it (no heap
 * shrinks between rounds), which errs on the safe side of the memory bound.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];

/**
 * Starts `node <SERVER_NODE_FLAGS> <args>` with its output going to `logFile` (as a deployment
 * writes to a file or journald; the harness does not spend CPU draining it) and waits until
 * `GET url + readyPath` answers 2xx or 4xx.
 *
 * @example
 * ```ts
 * const server = await startChild(['dist/main.js'], { PORT: '8080' }, 'http://127.0.0.1:8080', '/healthz', '/tmp/log')
 * ```
 */
export async function startChild(
  args: string[],
  env: Record<string, string>,
  url: string,
  readyPath: string,
  logFile: string,
  cwd?: string,
): Promise<ChildServer> {
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', log, log],
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${args.join(' ')} exited with ${exited}; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not answer in 60 s; see ${logFile}`);
    }
    try {
      const res = await fetch(url + readyPath);
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== undefined) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds (user + system) a process's main thread has used so far, from /proc (Linux): for a
 * Node.js server, its event loop's, without its worker threads and libuv's pool.
 *
 * @example
 * ```ts
 * const before = mainThreadCpuSeconds(server.pid)
 * ```
 */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

/**
 * Starts counting a server process's CPU: `cores()` gives the cores it used since, as a whole and on
 * its main thread (for a Node.js server, the event loop), over the wall time elapsed.
 *
 * @example
 * ```ts
 * const meter = serverCpuMeter(server.pid)
 * await load()
 * meter.cores() // { serverCpu: 1.21, eventLoopCpu: 0.83 }
 * ```
 */
export function serverCpuMeter(pid: number): { cores(): { serverCpu: number; eventLoopCpu: number } } {
  const started = process.hrtime.bigint();
  const process0 = cpuSeconds(pid);
  const main0 = mainThreadCpuSeconds(pid);
  return {
    cores() {
      const wallSec = Number(process.hrtime.bigint() - started) / 1e9;
      return {
        serverCpu: (cpuSeconds(pid) - process0) / wallSec,
        eventLoopCpu: (mainThreadCpuSeconds(pid) - main0) / wallSec,
      };
    },
  };
}

function statCpuSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/**
 * CPU seconds used so far by every process whose command is `command` (Linux), keyed by pid: for
 * PostgreSQL, whose work is spread over a backend per connection and its background processes.
 * Processes the caller may not read, or that exit meanwhile, are skipped.
 *
 * @example
 * ```ts
 * const before = cpuSecondsOf('postgres')
 * ```
 */
export function cpuSecondsOf(command: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) continue;
      out.set(Number(name), cpuSeconds(Number(name)));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/**
 * Cores used by `command`'s processes between two {@link cpuSecondsOf} readings `wallSec` apart; a
 * process started in between counts from zero.
 *
 * @example
 * ```ts
 * const cores = coresBetween(before, cpuSecondsOf('postgres'), 10)
 * ```
 */
export function coresBetween(
  before: Map<number, number>,
  after: Map<number, number>,
  wallSec: number,
): number {
  let used = 0;
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0);
  return used / wallSec;
}

/** What {@link countCpu} counted over one run of its work. */
export interface CountedCpu {
  wallSec: number;
  /** This process's CPU (user and system), µs. */
  ownCpuUs: number;
  /** CPU of every process named `postgres` ({@link cpuSecondsOf}), µs. */
  postgresCpuUs: number;
}

/**
 * Runs `work` once and counts, meanwhile, the wall time, this process's CPU and PostgreSQL's:
 * what the store benchmarks (`bench/journal-postgres.ts`, `bench/credential-lookups.ts`) report per
 * operation. Counted CPU over thousands of operations is steadier than their timing on a shared
 * machine.
 *
 * @example
 * ```ts
 * const { postgresCpuUs } = await countCpu(async () => { for (const b of batches) await write(b) })
 * ```
 */
export async function countCpu(work: () => Promise<void>): Promise<CountedCpu> {
  const cpuStart = cpuSecondsOf('postgres');
  const ownStart = process.cpuUsage();
  const started = performance.now();
  await work();
  const wallSec = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownStart);
  const postgresCpuUs = coresBetween(cpuStart, cpuSecondsOf('postgres'), wallSec) * wallSec * 1e6;
  return { wallSec, ownCpuUs: own.user + own.system, postgresCpuUs };
}
