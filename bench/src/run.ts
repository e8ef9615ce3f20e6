import { measure, settle, type Measurement, type RequestShape } from './load.js';
import type { BenchOptions } from './options.js';
import { measurePaced, type PacedMeasurement } from './paced.js';
import { serverCpuMeter } from './proc.js';
import { hasLatencyTarget } from './report.js';
import { runRounds, type RoundEntry, type RoundFigure } from './rounds.js';
import type { Scenario, Target, Unavailable, Workload } from './scenario.js';
import { withServerLatency } from './server-latency.js';
import { sweepConnections, type Probe } from './sweep.js';
import { startReference } from './targets/children.js';
import { startTessera } from './targets/tessera.js';

/** One row of results. Absent numbers mean "not measured" (see `reason`). */
export interface ScenarioResult {
  id: string;
  label: string;
  target: string;
  available: boolean;
  reason?: string;
  /** Connections of the measured run: the swept count that served most, or the scenario's own. */
  connections: number;
  /** Each swept connection count's probe, when there were several (`sweep.ts`). */
  sweep?: Probe[];
  rps?: number;
  p50?: number;
  p99?: number;
  requests?: number;
  errors?: number;
  /** Cores the load generator (this process) used while measuring. */
  loadgenCpu?: number;
  /** Cores the server process used while measuring. */
  serverCpu?: number;
  /** Cores its main thread, the event loop, used meanwhile. */
  eventLoopCpu?: number;
  /** Cores PostgreSQL used meanwhile (servers on PostgreSQL only). */
  databaseCpu?: number;
  idleRssMb?: number;
  peakRssMb?: number;
  /** Of the measured run's requests, the share naming an application for the first time on its server. */
  firstShare?: number;
  /** The pass naming every application once, before the warm-up (shapes with a `firstPass`). */
  firstPass?: FirstPassResult;
  /**
   * Latency at half of the maximum rate; `serverP99` is the same requests' p99 in Tessera's request
   * log (`server-latency.ts`); `serverCpu` and `eventLoopCpu` the cores the server used meanwhile.
   */
  half?: HalfResult;
  /** This scenario's figures in each paired round (`rounds.ts`), in round order. */
  rounds?: RoundFigure[];
}

/** What the first pass measured: every request a first use, at the most connections swept. */
export type FirstPassResult = Pick<
  Measurement,
  'rps' | 'p50' | 'p99' | 'requests' | 'errors' | 'serverCpu' | 'eventLoopCpu' | 'databaseCpu' | 'peakRssMb'
> & { connections: number; seconds: number };

/** What the run at half the maximum rate measured. */
export type HalfResult = Pick<PacedMeasurement, 'rate' | 'rps' | 'p50' | 'p99' | 'errors'> & HalfExtras;

/** What a half-rate run adds on a server the harness started: its own p99 and CPU. */
interface HalfExtras {
  serverP99?: number;
  serverCpu?: number;
  eventLoopCpu?: number;
}

/**
 * Runs the scenarios: each target is started once (in order of first use), its scenarios run back
 * to back — warm-up, measured run, and for `halfRate` scenarios a run capped at half the rate just
 * measured. A target is stopped after its scenarios, unless one of them is in `roundIds`: those
 * servers stay up for the paired rounds (`rounds.ts`) that follow the main pass, and all are stopped
 * at the end.
 *
 * @example
 * ```ts
 * const results = await runScenarios(parseOptions(['--quick']), selectScenarios(options), new Set(), console.log)
 * ```
 */
export async function runScenarios(
  options: BenchOptions,
  scenarios: readonly Scenario[],
  roundIds: ReadonlySet<string>,
  log: (line: string) => void,
): Promise<ScenarioResult[]> {
  const groups = new Map<string, Scenario[]>();
  for (const s of scenarios) groups.set(s.target, [...(groups.get(s.target) ?? []), s]);
  const results = new Map<string, ScenarioResult>();
  const kept: Array<() => Promise<void>> = [];
  const entries: RoundEntry[] = [];
  try {
    for (const [key, group] of groups) {
      log(`target ${key}: starting`);
      const started = Date.now();
      const { target, stop } = await startTarget(options, key);
      log(`target ${key}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      let keep = false;
      try {
        for (const scenario of group) {
          const workload = await scenario.prepare(target);
          const result = await runOne(options, scenario, target, workload);
          const first = result.firstPass;
          if (first)
            log(
              `  ${scenario.id}: first pass, each of ${first.requests} applications once: ${first.rps.toFixed(0)} req/s in ${first.seconds.toFixed(1)} s, errors ${first.errors}`,
            );
          log(
            result.available
              ? `  ${scenario.id}: ${result.rps?.toFixed(0)} req/s, p99 ${result.p99?.toFixed(1)} ms, errors ${result.errors}`
              : `  ${scenario.id}: not available (${result.reason})`,
          );
          results.set(scenario.id, result);
          // A workload that warms itself (the guard) runs its own alternating rounds.
          const inRounds =
            options.rounds > 0 &&
            result.available &&
            roundIds.has(scenario.id) &&
            !('unavailable' in workload) &&
            !(workload.kind === 'local' && workload.warmsItself);
          if (inRounds) {
            entries.push({
              id: scenario.id,
              measure: measurer(target, workload, result.connections),
              ...(result.half && workload.kind === 'http' && hasLatencyTarget(scenario.id)
                ? { measureHalf: halfMeasurer(target, workload, result.connections) }
                : {}),
            });
            keep = true;
          }
        }
      } finally {
        if (keep) kept.push(stop);
        else await stop();
      }
    }
    if (entries.length > 1) {
      const figures = await runRounds(options, entries, log);
      for (const [id, rounds] of figures) {
        const result = results.get(id) as ScenarioResult;
        result.rounds = rounds;
        result.errors = (result.errors ?? 0) + rounds.reduce((sum, r) => sum + r.errors, 0);
      }
    }
  } finally {
    for (const stop of kept) await stop();
  }
  return scenarios.map((s) => results.get(s.id) as ScenarioResult);
}

async function startTarget(
  options: BenchOptions,
  key: string,
): Promise<{ target: Target; stop: () => Promise<void> }> {
  const tessera = /^tessera\/(sqlite|postgres)\/(\d+)(\/baseline)?$/.exec(key);
  if (tessera) {
    const build = tessera[3] ? Object.assign({}, options, { serverMain: options.baselineMain }) : options;
    const t = await startTessera(
      build,
      tessera[1] as 'sqlite' | 'postgres',
      Number(tessera[2]),
      key.replaceAll('/', '-'),
    );
    return { target: { kind: 'tessera', tessera: t }, stop: t.stop };
  }
  if (key === 'limit' || key === 'limit-node' || key === 'peer') {
    const t = await startReference(key);
    return { target: { kind: 'child', url: t.url, pid: t.pid, idleRssMb: t.idleRssMb }, stop: t.stop };
  }
  if (key === 'none') return { target: { kind: 'none' }, stop: async () => {} };
  throw new Error(`bench: unknown target ${key}`);
}

async function runOne(
  options: BenchOptions,
  scenario: Scenario,
  target: Target,
  workload: Workload | Unavailable,
): Promise<ScenarioResult> {
  const counts: readonly [number, ...number[]] = scenario.connections
    ? [scenario.connections]
    : options.connections;
  const base = { id: scenario.id, label: scenario.label, target: scenario.target, connections: counts[0] };
  if ('unavailable' in workload)
    return Object.assign({}, base, { available: false, reason: workload.unavailable });
  if (workload.kind === 'local') {
    if (!workload.warmsItself) await workload.run(options.warmupSec);
    return Object.assign({}, base, { available: true }, await workload.run(options.durationSec));
  }
  const at = (connections: number) => measurer(target, workload, connections);
  const pass = workload.shape.firstPass;
  const first = pass
    ? await firstPass(target, workload.shape, pass, Math.max(...counts), workload.expectStatus)
    : undefined;
  // A first pass as long as the warm-up has warmed the server up (and every application's lookup).
  if (!first || first.seconds < options.warmupSec)
    await settle(await at(base.connections)(options.warmupSec));
  else await settle(first);
  const swept = counts.length > 1 ? await sweepConnections(counts, at, options.probeSec) : undefined;
  const connections = swept?.best ?? base.connections;
  const full = await at(connections)(options.durationSec);
  const result: ScenarioResult = Object.assign(
    {},
    base,
    { available: true, connections, idleRssMb: idleRssOf(target) },
    swept ? { sweep: swept.probes } : {},
    full,
    first ? { firstPass: first } : {},
  );
  // A probe's and the first pass's errors are the scenario's errors too.
  result.errors =
    full.errors + (swept?.probes.reduce((sum, p) => sum + p.errors, 0) ?? 0) + (first?.errors ?? 0);
  if (scenario.halfRate && full.rps > 2) {
    await settle(full);
    const rate = Math.floor(full.rps / 2);
    const { rps, p50, p99, errors, serverP99, serverCpu, eventLoopCpu } = await halfMeasurer(
      target,
      workload,
      connections,
    )(options.halfRateSec, rate);
    result.half = Object.assign(
      { rate, rps, p50, p99, errors },
      serverP99 !== undefined ? { serverP99 } : {},
      serverCpu !== undefined ? { serverCpu, eventLoopCpu } : {},
    );
    result.errors += errors;
  }
  return result;
}

/**
 * Sends a first pass's requests, each naming an application the server has not met yet, over
 * `connections` (the most the sweep tries: a cache miss waits on the store, and PostgreSQL's lookups
 * are batched, so a pass at few connections would measure the wait more than the server). Why a
 * first pass: a 10-application scenario's warm-up names all ten, so its figures are those of a warm
 * credential cache, while with 100,000 applications the warm-up and main pass used to name each for
 * the first time all along (27–36 % of the main pass's requests, 0.6–8 % of a round's), and the
 * 100,000 / 10 ratio measured how far the cache had filled by then as much as the store's size
 * (bench/README.md, twenty-ninth session). The pass's own rate is the cold figure, reported beside
 * the 10-application one for reference.
 */
async function firstPass(
  target: Target,
  shape: RequestShape,
  { requests, next }: NonNullable<RequestShape['firstPass']>,
  connections: number,
  expectStatus: number | undefined,
): Promise<FirstPassResult> {
  const conns = Math.min(connections, requests);
  const started = process.hrtime.bigint();
  const m = await measure(urlOf(target), Object.assign({}, shape, { next }), {
    durationSec: 0,
    amount: requests,
    connections: conns,
    serverPid: serverPidOf(target),
    databaseCpu: onPostgres(target),
    ...(expectStatus ? { expectStatus } : {}),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { rps, p50, p99, errors, serverCpu, eventLoopCpu, databaseCpu, peakRssMb } = m;
  return Object.assign(
    { rps, p50, p99, requests: m.requests, errors, connections: conns, seconds },
    serverCpu !== undefined ? { serverCpu, eventLoopCpu } : {},
    databaseCpu !== undefined ? { databaseCpu } : {},
    peakRssMb !== undefined ? { peakRssMb } : {},
  );
}

/** Measures `workload` at full throughput over `connections` for a given time: over HTTP, or in this process. */
function measurer(
  target: Target,
  workload: Workload,
  connections: number,
): (durationSec: number) => Promise<Measurement> {
  if (workload.kind === 'local')
    return async (durationSec) => ({ loadgenCpu: 0, ...(await workload.run(durationSec)) });
  const serverPid = serverPidOf(target);
  return (durationSec) =>
    measure(urlOf(target), workload.shape, {
      durationSec,
      connections,
      serverPid,
      databaseCpu: onPostgres(target),
      ...(workload.expectStatus ? { expectStatus: workload.expectStatus } : {}),
    });
}

/**
 * Measures latency at a given rate, requests evenly spaced (`paced.ts`), and the cores the server
 * used meanwhile: at half its maximum rate a server is not half as busy, since what it batches under
 * full load (signatures, journal commits, wake-ups) it does per request here. On Tessera also the
 * server's own p99 of the same requests, from its request log.
 */
function halfMeasurer(
  target: Target,
  workload: Extract<Workload, { kind: 'http' }>,
  connections: number,
): (durationSec: number, rate: number) => Promise<PacedMeasurement & HalfExtras> {
  const pid = serverPidOf(target);
  const paced = async (durationSec: number, rate: number): Promise<PacedMeasurement & HalfExtras> => {
    const meter = pid ? serverCpuMeter(pid) : undefined;
    const result = await measurePaced(urlOf(target), workload.shape, {
      rate,
      durationSec,
      connections,
      ...(workload.expectStatus ? { expectStatus: workload.expectStatus } : {}),
    });
    return meter ? Object.assign(result, meter.cores()) : result;
  };
  if (target.kind !== 'tessera') return paced;
  return async (durationSec, rate) => {
    const { result, serverP99 } = await withServerLatency(target.tessera.logFile, () =>
      paced(durationSec, rate),
    );
    return serverP99 === undefined ? result : Object.assign(result, { serverP99 });
  };
}

/** Whether the target is Tessera on PostgreSQL, whose CPU is the server's other half. */
const onPostgres = (target: Target) => target.kind === 'tessera' && target.tessera.store === 'postgres';
const serverPidOf = (target: Target) =>
  target.kind === 'tessera' ? target.tessera.pid : target.kind === 'child' ? target.pid : 0;
const urlOf = (target: Target) =>
  target.kind === 'tessera' ? target.tessera.url : target.kind === 'child' ? target.url : '';
const idleRssOf = (target: Target) =>
  target.kind === 'tessera' ? target.tessera.idleRssMb : target.kind === 'child' ? target.idleRssMb : 0;
