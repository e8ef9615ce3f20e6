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
