import type { ScenarioResult } from '../src/run.js';

/**
 * A measured scenario's result as `run.ts` returns it, with made-up figures: `rps` and what
 * `extra` sets, the rest fixed (16 connections, p50 1 ms, p99 2 ms, 10 s of requests, 0 errors).
 * The report's tests and the across-runs tests build their runs from it.
 *
 * @example
 * ```ts
 * const limit = resultRow('limit', 'limit', 1000, { half: { rate: 500, rps: 500, p50: 1, p99: 3, errors: 0 } })
 * ```
 */
export const resultRow = (
  id: string,
  target: string,
  rps: number,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult => ({
  id,
  label: id,
  target,
  available: true,
  connections: 16,
  rps,
  p50: 1,
  p99: 2,
  requests: rps * 10,
  errors: 0,
  ...extra,
});
