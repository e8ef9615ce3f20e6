import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** What this machine charges for the two kinds of work a server does, measured in this process. */
export interface MachineCosts {
  /** Nanoseconds per iteration of a fixed integer loop: the speed of plain JavaScript. */
  jsLoopNs: number;
  /**
   * Microseconds per system call: a 1-byte `readSync` of /dev/zero and `writeSync` to /dev/null,
   * timed in pairs (Node's binding included). Where the kernel isolates its page tables (PTI), this
   * costs several times more, and so does everything a server does through the kernel: loopback
   * sockets, file writes, waking threads. The eighteenth session's machine ran JavaScript as fast as
   * the seventeenth's and served 2–5 × fewer requests a second (bench/README.md).
   */
  syscallUs: number;
}

/**
 * Measures {@link MachineCosts} (~0.2 s), so that a run's absolute figures can be told apart from
 * another machine's: ratios between servers that make different numbers of system calls per request
 * move with `syscallUs` too.
 *
 * @example
 * ```ts
 * const { jsLoopNs, syscallUs } = machineCosts()
 * ```
 */
export function machineCosts(): MachineCosts {
  return { jsLoopNs: best(jsLoop), syscallUs: best(syscalls) };
}

/** The fastest of three runs: the machine's cost, less what other work took from it meanwhile. */
function best(run: () => number): number {
  return Math.min(run(), run(), run());
}

function jsLoop(): number {
  const n = 20_000_000;
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + i * 7) | 0;
  const ns = ((performance.now() - started) * 1e6) / n;
  // Using the result keeps the loop from being optimised away.
  return x === 0.5 ? 0 : ns;
}

function syscalls(): number {
  const pairs = 20_000;
  const zero = openSync('/dev/zero', 'r');
  const sink = openSync('/dev/null', 'w');
  const byte = Buffer.alloc(1);
  try {
    const started = performance.now();
    for (let i = 0; i < pairs; i++) {
      readSync(zero, byte, 0, 1, null);
      writeSync(sink, byte, 0, 1);
    }
    return ((performance.now() - started) * 1e3) / (2 * pairs);
  } finally {
    closeSync(zero);
    closeSync(sink);
  }
}

/** How steadily this machine's CPU runs, measured in this process ({@link cpuSteadiness}). */
export interface CpuSteadiness {
  /** Percent of 10 ms windows in which a spinning thread did less than half its median work. */
  slowWindowsPct: number;
  /** The slowest window's work, in percent of the median window's. */
  slowestWindowPct: number;
}

/** The length of a window: about what a batch of requests plus its queue takes at half rate. */
const WINDOW_MS = 10;

/**
 * Spins one thread for `durationSec` on fixed chunks of integer work and counts the chunks done in
 * each 10 ms window. A guest whose virtual CPU now and then runs at a fraction of its speed (the
 * host's other work on the same core), while the guest's own clock shows no pause, does much less
 * work in those windows: on the twenty-sixth session's machine, idle, 1–7 % of windows got under
 * half the median's work and the slowest under a tenth, in runs of 30–90 ms. A server's batch of
 * requests stretched so is a client's p99 of tens of milliseconds, whatever the server's code, so
 * this figure sits beside the machine's two costs in every run (bench/README.md).
 *
 * @example
 * ```ts
 * const { slowWindowsPct } = cpuSteadiness(2) // 4.5: 9 of 200 windows ran at under half speed
 * ```
 */
export function cpuSteadiness(durationSec: number): CpuSteadiness {
  spinWindows(0.05); // compiles the loop before it is timed
  return slowWindows(spinWindows(durationSec));
}

function spinWindows(durationSec: number): Int32Array {
  const windows = new Int32Array(Math.max(1, Math.round((durationSec * 1000) / WINDOW_MS)));
  const started = performance.now();
  let x = 1;
  for (;;) {
    const window = Math.floor((performance.now() - started) / WINDOW_MS);
    if (window >= windows.length) break;
    for (let i = 0; i < 5000; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
    windows[window] += 1;
  }
  // Using the result keeps the loop from being optimised away.
  if (x === 0.5) windows[0] += 1;
  return windows;
}

/**
 * {@link CpuSteadiness} of the work done in each window: the median window is the machine's speed.
 *
 * @example
 * ```ts
 * slowWindows(Int32Array.of(100, 100, 40, 100)) // { slowWindowsPct: 25, slowestWindowPct: 40 }
 * ```
 */
export function slowWindows(work: Int32Array): CpuSteadiness {
  const sorted = Array.from(work).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? 0;
  if (median === 0) return { slowWindowsPct: 100, slowestWindowPct: 0 };
  const slow = sorted.filter((n) => n < median / 2).length;
  return {
    slowWindowsPct: (100 * slow) / sorted.length,
    slowestWindowPct: (100 * (sorted[0] ?? 0)) / median,
  };
}
