import type { Measurement, RequestShape } from './load.js';
import type { RoundFigure } from './rounds.js';
import type { TesseraTarget } from './targets/tessera.js';

/** What a scenario runs against; the harness starts each once and shares it between scenarios. */
export type Target =
  | { kind: 'tessera'; tessera: TesseraTarget }
  | { kind: 'child'; url: string; pid: number; idleRssMb: number }
  | { kind: 'none' };

/** Load over HTTP against the target, or work measured in the harness process itself. */
export type Workload =
  | { kind: 'http'; shape: RequestShape; expectStatus?: number }
  | {
      kind: 'local';
      /** `rounds`: a workload that runs its own paired rounds (the guard) gives each one's figures. */
      run: (durationSec: number) => Promise<Omit<Measurement, 'loadgenCpu'> & { rounds?: RoundFigure[] }>;
      /** The run warms up by itself: the harness skips its warm-up run. */
      warmsItself?: boolean;
    };

/** A scenario that could not run here, and why (shown in the table as "not available"). */
export interface Unavailable {
  unavailable: string;
}

/**
 * One row of the table. Add a scenario by writing a file in `scenarios/` that exports one of these
 * and listing it in `scenarios/index.ts`. `prepare` probes the target and returns
 * {@link Unavailable} when the endpoint does not exist: scenarios are never faked.
 *
 * @example
 * ```ts
 * export const healthz: Scenario = {
 *   id: 'healthz', label: 'GET /healthz', target: 'tessera/sqlite/10',
 *   prepare: async () => ({ kind: 'http', shape: { method: 'GET', path: '/healthz' } }),
 * }
 * ```
 */
export interface Scenario {
  /** Unique, stable: the JSON key and what `--only` matches. */
  id: string;
  label: string;
  /** `tessera/<store>/<apps>`, `limit`, `peer` or `none`. */
  target: string;
  /** Connections for this scenario (default: the run's). */
  connections?: number;
  /** Also measure latency at half of the maximum rate just measured. */
  halfRate?: boolean;
  prepare(target: Target): Promise<Workload | Unavailable>;
}

/** A random element; the load generator calls it per request. */
export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** Requests a shape has built so far, and how many of them named an item no earlier one had. */
export interface FirstUses {
  sent: number;
  firsts: number;
}

/**
 * {@link pick} that also counts first uses. A request naming an application no earlier request on
 * the same server named is one the server's credential cache cannot answer yet (a store lookup, and
 * a `last_login` write). `eachOnce` names every item once, in a random order, and then picks at
 * random like `next`: the harness's first pass over a scenario with many applications, after which
 * the server has met each of them as the warm-up of a 10-application scenario meets its ten.
 *
 * @example
 * ```ts
 * const { next, eachOnce, uses } = pickCountingFirsts(bodies)
 * const shape = { method: 'POST', path: '/api/v1/token', next, firstUses: uses,
 *   firstPass: { requests: bodies.length, next: eachOnce } }
 * ```
 */
export function pickCountingFirsts<T>(items: readonly T[]): {
  next: () => T;
  eachOnce: () => T;
  uses: FirstUses;
} {
  const seen = new Uint8Array(items.length);
  const uses: FirstUses = { sent: 0, firsts: 0 };
  const take = (i: number) => {
    uses.sent += 1;
    if (seen[i] === 0) {
      seen[i] = 1;
      uses.firsts += 1;
    }
    return items[i] as T;
  };
  const next = () => take(Math.floor(Math.random() * items.length));
  const order = shuffled(items.length);
  let at = 0;
  const eachOnce = () => (at < order.length ? take(order[at++] as number) : next());
  return { next, eachOnce, uses };
}

/** 0 … n − 1 in a random order (Fisher–Yates). */
function shuffled(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}
