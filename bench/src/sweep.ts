import { settle, type Measurement } from './load.js';

/** One connection count's probe: the rate it served and its errors. */
export interface Probe {
  connections: number;
  rps: number;
  errors: number;
}

/**
 * Finds the connection count at which a server answers most: a closed loop of `n` connections
 * serves `n` over the answer's latency, so a server that waits on something other than its CPU (a
 * WAL flush, a worker thread, the loopback's wake-ups) is held below its maximum rate by a count
 * too small for it, and each server's best count differs (bench/README.md, twenty-third session).
 * Each count is driven for `probeSec`, in ascending order, and the one with the highest rate wins
 * (the smaller on a tie). The caller then measures at that count.
 *
 * @example
 * ```ts
 * const { best, probes } = await sweepConnections([16, 32, 64, 128], (n) => (sec) => measure(url, shape, { durationSec: sec, connections: n }), 1.5)
 * ```
 */
export async function sweepConnections(
  counts: readonly number[],
  measureAt: (
    connections: number,
  ) => (durationSec: number) => Promise<Pick<Measurement, 'rps' | 'errors' | 'p99'>>,
  probeSec: number,
): Promise<{ best: number; probes: Probe[] }> {
  const probes: Probe[] = [];
  for (const connections of counts) {
    const m = await measureAt(connections)(probeSec);
    await settle(m);
    probes.push({ connections, rps: m.rps, errors: m.errors });
  }
  const best = probes.reduce((a, b) => (b.rps > a.rps ? b : a));
  return { best: best.connections, probes };
}
