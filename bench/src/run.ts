import { measure, type Measurement } from './load.js';
import type { BenchOptions } from './options.js';
import { measurePaced } from './paced.js';
import type { Scenario, Target } from './scenario.js';
import { startReference } from './targets/children.js';
import { startTessera } from './targets/tessera.js';

/** One row of results. Absent numbers mean "not measured" (see `reason`). */
export interface ScenarioResult {
  id: string;
  label: string;
  target: string;
  available: boolean;
  reason?: string;
  connections: number;
  rps?: number;
  p50?: number;
  p99?: number;
  requests?: number;
  errors?: number;
  /** Cores the load generator (this process) used while measuring. */
  loadgenCpu?: number;
  /** Cores the server process used while measuring. */
  serverCpu?: number;
  idleRssMb?: number;
  peakRssMb?: number;
  /** Latency at half of the maximum rate. */
  half?: { rate: number; rps: number; p50: number; p99: number; errors: number };
}

/**
 * Runs the scenarios: each target is started once (in order of first use), its scenarios run back
 * to back — warm-up, measured run, and for `halfRate` scenarios a run capped at half the rate just
 * measured — then it is stopped.
 *
 * @example
 * ```ts
 * const results = await runScenarios(parseOptions(['--quick']), allScenarios(options), console.log)
 * ```
 */
export async function runScenarios(
  options: BenchOptions,
  scenarios: readonly Scenario[],
  log: (line: string) => void,
): Promise<ScenarioResult[]> {
  const selected = scenarios.filter(
    (s) => options.only.length === 0 || options.only.some((o) => s.id.includes(o)),
  );
  const groups = new Map<string, Scenario[]>();
  for (const s of selected) groups.set(s.target, [...(groups.get(s.target) ?? []), s]);
  const results = new Map<string, ScenarioResult>();
  for (const [key, group] of groups) {
    log(`target ${key}: starting`);
    const started = Date.now();
    const { target, stop } = await startTarget(options, key);
    log(`target ${key}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    try {
      for (const scenario of group) {
        const result = await runOne(options, scenario, target);
        log(
          result.available
            ? `  ${scenario.id}: ${result.rps?.toFixed(0)} req/s, p99 ${result.p99} ms, errors ${result.errors}`
            : `  ${scenario.id}: not available (${result.reason})`,
        );
        results.set(scenario.id, result);
      }
    } finally {
      await stop();
    }
  }
  return selected.map((s) => results.get(s.id) as ScenarioResult);
}

async function startTarget(
  options: BenchOptions,
  key: string,
): Promise<{ target: Target; stop: () => Promise<void> }> {
  const tessera = /^tessera\/(sqlite|postgres)\/(\d+)$/.exec(key);
  if (tessera) {
    const t = await startTessera(options, tessera[1] as 'sqlite' | 'postgres', Number(tessera[2]));
    return { target: { kind: 'tessera', tessera: t }, stop: t.stop };
  }
  if (key === 'limit' || key === 'limit-node' || key === 'peer') {
    const t = await startReference(key);
    return { target: { kind: 'child', url: t.url, pid: t.pid, idleRssMb: t.idleRssMb }, stop: t.stop };
  }
  if (key === 'none') return { target: { kind: 'none' }, stop: async () => {} };
  throw new Error(`bench: unknown target ${key}`);
}

/**
 * Waits for the requests a run left in flight: autocannon stops sending when its time is up, but the
 * server still answers what it received. Starting the next run at once would overlap the two, which
 * for the password grant means 4 abandoned + 4 new attempts on one account at the same time, and the
 * throttle (5 attempts counted before they are checked) rightly answered 429 now and then.
 */
function settle(previous: Measurement): Promise<void> {
  const ms = Math.min(5_000, Math.max(100, 2 * previous.p99));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function runOne(options: BenchOptions, scenario: Scenario, target: Target): Promise<ScenarioResult> {
  const connections = scenario.connections ?? options.connections;
  const base = { id: scenario.id, label: scenario.label, target: scenario.target, connections };
  const workload = await scenario.prepare(target);
  if ('unavailable' in workload) return { ...base, available: false, reason: workload.unavailable };
  if (workload.kind === 'local') {
    if (!workload.warmsItself) await workload.run(options.warmupSec);
    return { ...base, available: true, ...(await workload.run(options.durationSec)) };
  }
  const url = target.kind === 'tessera' ? target.tessera.url : target.kind === 'child' ? target.url : '';
  const serverPid = target.kind === 'tessera' ? target.tessera.pid : target.kind === 'child' ? target.pid : 0;
  const idleRssMb =
    target.kind === 'tessera' ? target.tessera.idleRssMb : target.kind === 'child' ? target.idleRssMb : 0;
  const run = (durationSec: number, rate?: number): Promise<Measurement> =>
    measure(url, workload.shape, {
      durationSec,
      connections,
      serverPid,
      ...(rate ? { rate } : {}),
      ...(workload.expectStatus ? { expectStatus: workload.expectStatus } : {}),
    });
  await settle(await run(options.warmupSec));
  const full = await run(options.durationSec);
  const result: ScenarioResult = { ...base, available: true, idleRssMb, ...full };
  if (scenario.halfRate && full.rps > 2) {
    await settle(full);
    const rate = Math.floor(full.rps / 2);
    const half = await measurePaced(url, workload.shape, {
      rate,
      durationSec: options.durationSec,
      connections,
      ...(workload.expectStatus ? { expectStatus: workload.expectStatus } : {}),
    });
    result.half = { rate, rps: half.rps, p50: half.p50, p99: half.p99, errors: half.errors };
    result.errors = full.errors + half.errors;
  }
  return result;
}
