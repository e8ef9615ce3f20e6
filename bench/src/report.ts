import type { BenchOptions } from './options.js';
import type { HalfResult, ScenarioResult } from './run.js';
import type { RoundFigure } from './rounds.js';
import { appTokenId, baselineId } from './scenarios/app-token.js';
import { GUARD_OFF_ID, GUARD_ON_ID } from './scenarios/guard.js';

/** A ratio of two figures measured in the same run, against the issue's target. */
export interface Ratio {
  name: string;
  value: number | null;
  /**
   * The same ratio of requests per CPU-second of each server process: robust when other work on the
   * machine takes CPU from one side and not the other during the run.
   */
  perCpu: number | null;
  /** `>= target` passes; null for a comparison without a target (a build against `--baseline`). */
  target: number | null;
  met: boolean | null;
  /**
   * The ratio in each paired round (`rounds.ts`), in round order; `value` and `perCpu` are then their
   * medians. Null when the run had no rounds: both figures then come from the main pass alone.
   */
  rounds: number[] | null;
  /** The ratio of the main pass's figures (each side measured once, possibly minutes apart). */
  mainPass: number | null;
}

/** Which two scenarios a target ratio divides, and the issue's target for it. */
export interface RatioPair {
  name: string;
  numerator: string;
  denominator: string;
  target: number | null;
}

/**
 * The issue's ratios for a run's options: the rounds phase measures exactly the scenarios named
 * here, and {@link evaluate} divides them.
 *
 * @example
 * ```ts
 * ratioPairs(parseOptions(['--stores=sqlite']))[0] // { name: 'app_token sqlite 10 apps / limit', … }
 * ```
 */
export function ratioPairs(options: BenchOptions): RatioPair[] {
  const pairs: RatioPair[] = [];
  const pair = (name: string, numerator: string, denominator: string, target: number | null) =>
    pairs.push({ name, numerator, denominator, target });
  const [base, ...more] = options.appCounts;
  for (const store of options.stores) {
    if (base === undefined) break;
    const tokenId = appTokenId(store, base);
    pair(`app_token ${store} ${base} apps / limit`, tokenId, 'limit', 0.6);
    pair(`app_token ${store} ${base} apps / limit with Tessera's signer`, tokenId, 'limit.node', 0.6);
    pair(`app_token ${store} ${base} apps / oidc-provider`, tokenId, 'peer', 1.5);
    for (const n of more)
      pair(`app_token ${store} ${n} apps / ${base} apps`, appTokenId(store, n), tokenId, 0.9);
    if (options.baselineMain)
      for (const n of options.appCounts)
        pair(
          `app_token ${store} ${n} apps / baseline build`,
          appTokenId(store, n),
          baselineId(appTokenId(store, n)),
          null,
        );
  }
  pair('password grant / bare argon2id', 'v1.password', 'argon2id.bare', 0.9);
  pair('Cluster API guard on / guard off', GUARD_ON_ID, GUARD_OFF_ID, 0.9);
  return pairs;
}

const meets = (value: number, target: number | null) => (target === null ? null : value >= target);

/** Requests per second and the server's cores while they were measured. */
type Figure = { rps: number; serverCpu?: number };

/** The ratio of requests per server CPU-second, when both sides measured their server's CPU. */
function cpuRatio(a: Figure, b: Figure): number | null {
  return a.serverCpu && b.serverCpu ? a.rps / a.serverCpu / (b.rps / b.serverCpu) : null;
}

/**
 * Whether the scenario's p99 at half rate is checked against the issue's 10 ms: the token
 * endpoint's, and the limits' as the machine's floor. The paired rounds measure only these again.
 *
 * @example
 * ```ts
 * hasLatencyTarget('v1.app_token.sqlite.10') // true
 * ```
 */
export function hasLatencyTarget(id: string): boolean {
  return id.startsWith('v1.app_token.') || id === 'limit' || id === 'limit.node';
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * A server's peak RSS under full-rate load: the main pass's and the paired rounds', which keep the
 * same server under the same load for longer (a cache filling over a minute peaks late).
 */
function peakRss(r: ScenarioResult): number {
  return Math.max(
    r.peakRssMb ?? 0,
    r.firstPass?.peakRssMb ?? 0,
    ...(r.rounds ?? []).map((f) => f.peakRssMb ?? 0),
  );
}

/**
 * The half-rate run's rate and, where the server's CPU was read, the cores it used there: at half
 * its maximum rate a server is often more than half as busy (batches shrink to a request or two).
 */
function halfLoad(half: HalfResult): string {
  const at = `at ${half.rate}/s`;
  return half.serverCpu === undefined ? at : `${at}, ${num(half.serverCpu, 2)} CPU`;
}

/** A figure of every paired round of `r`, or null when some round did not measure it. */
function perRound(r: ScenarioResult, figure: (f: RoundFigure) => number | undefined): number[] | null {
  const values = (r.rounds ?? []).map(figure);
  return values.length > 0 && values.every((v) => v !== undefined) ? (values as number[]) : null;
}

/**
 * The share of a scenario's full-rate requests that named an application for the first time on its
 * server (each a credential-cache miss: a store lookup and a `last_login` write), in percent, when
 * there were any. It falls from round to round as the cache fills. A server also sets a row's
 * `last_login` again five to ten minutes after it last did (`token/recent-logins.ts`), which the
 * harness cannot see; a run of this length rarely meets one (bench/README.md, seventeenth and
 * eighteenth sessions).
 */
function firstUsesCheck(r: ScenarioResult): Check | undefined {
  if (r.firstShare === undefined) return undefined;
  const rounds = perRound(r, (f) => (f.firstShare === undefined ? undefined : 100 * f.firstShare));
  if (r.firstShare === 0 && (rounds ?? []).every((v) => v === 0)) return undefined;
  const mainPass = 100 * r.firstShare;
  return {
    name: `${r.id} requests naming an application for the first time on its server (credential-cache misses), %, main pass ${mainPass.toFixed(1)}, for reference`,
    value: rounds ? median(rounds) : mainPass,
    rounds,
    limit: '—',
    met: null,
  };
}

/**
 * For reference, per store and larger application count: the first pass's rate (every request a
 * credential-cache miss: a store lookup and a `last_login` write) over the base count's measured
 * rate, and the same per server CPU-second. The first pass runs once, so there are no rounds.
 */
function firstPassRatios(
  options: BenchOptions,
  measured: (id: string) => (ScenarioResult & Figure) | undefined,
): Ratio[] {
  const [base, ...more] = options.appCounts;
  if (base === undefined) return [];
  return options.stores.flatMap((store) =>
    more.map((n): Ratio => {
      const name = `app_token ${store} ${n} apps, first pass (each request a cache miss) / ${base} apps, for reference`;
      const first = measured(appTokenId(store, n))?.firstPass;
      const b = measured(appTokenId(store, base));
      const value = first && b ? first.rps / b.rps : null;
      const perCpu = first && b ? cpuRatio(first, b) : null;
      return { name, value, perCpu, target: null, met: null, rounds: null, mainPass: value };
    }),
  );
}

/**
 * An absolute bound from the issue (latency at half rate, errors, memory), or a figure given for
 * reference beside them (`limit: '—'`, `met: null`).
 */
export interface Check {
  name: string;
  /** The median of the paired rounds' values when there are some, else the main pass's. */
  value: number | null;
  /** The value in each paired round (latency at half rate), null when not measured there. */
  rounds?: number[] | null;
  limit: string;
  met: boolean | null;
}

/**
 * The issue's targets as ratios and checks over one run's results. A figure that was not measured
 * gives `value: null, met: null`.
 *
 * @example
 * ```ts
 * const { ratios, checks } = evaluate(options, results)
 * ```
 */
export function evaluate(
  options: BenchOptions,
  results: readonly ScenarioResult[],
): { ratios: Ratio[]; checks: Check[] } {
  const byId = new Map(results.map((r) => [r.id, r]));
  const measured = (id: string): (ScenarioResult & Figure) | undefined => {
    const r = byId.get(id);
    return r?.available && r.rps ? (r as ScenarioResult & Figure) : undefined;
  };
  const ratio = ({ name, numerator, denominator, target }: RatioPair): Ratio => {
    const a = measured(numerator);
    const b = measured(denominator);
    if (!a || !b) return { name, value: null, perCpu: null, target, met: null, rounds: null, mainPass: null };
    const mainPass = a.rps / b.rps;
    const ra = a.rounds ?? [];
    const rb = b.rounds ?? [];
    const paired = ra.length > 0 && ra.length === rb.length && rb.every((r) => r.rps > 0);
    if (!paired)
      return {
        name,
        value: mainPass,
        perCpu: cpuRatio(a, b),
        target,
        met: meets(mainPass, target),
        rounds: null,
        mainPass,
      };
    const rounds = ra.map((r, i) => r.rps / (rb[i] as Figure).rps);
    const cpus = ra.map((r, i) => cpuRatio(r, rb[i] as Figure));
    const value = median(rounds);
    const perCpu = cpus.every((c) => c !== null) ? median(cpus as number[]) : null;
    return { name, value, perCpu, target, met: meets(value, target), rounds, mainPass };
  };
  const ratios = [...ratioPairs(options).map(ratio), ...firstPassRatios(options, measured)];
  const checks: Check[] = [];

  for (const r of results) {
    if (!r.available) continue;
    // The limits' own latency at half rate is the machine's floor: when the bare server misses the
    // bound too, the machine (not Tessera) set the figure.
    const reference = r.id === 'limit' || r.id === 'limit.node';
    if (hasLatencyTarget(r.id)) {
      const rounds = perRound(r, (f) => f.halfP99);
      const p99 = rounds ? median(rounds) : (r.half?.p99 ?? null);
      checks.push({
        name: `${r.id} p99 at half rate (ms)${reference ? ', the bare server for reference' : ''}`,
        value: p99,
        rounds,
        limit: '<= 10',
        met: p99 === null ? null : p99 <= 10,
      });
      // Tessera's own share of that latency, from its request log (`server-latency.ts`).
      if (r.half?.serverP99 !== undefined) {
        const own = perRound(r, (f) => f.halfServerP99);
        const value = own ? median(own) : r.half.serverP99;
        checks.push({
          name: `${r.id} server's own p99 at half rate (ms), from its request log, for reference`,
          value,
          rounds: own,
          limit: '<= 10',
          met: value <= 10,
        });
      }
    }
    checks.push({ name: `${r.id} errors`, value: r.errors ?? null, limit: '= 0', met: r.errors === 0 });
    const firsts = firstUsesCheck(r);
    if (firsts) checks.push(firsts);
  }
  // The memory bounds are this build's: a `--baseline` build is there for comparison only.
  const tessera = results.filter(
    (r) => r.available && r.target.startsWith('tessera/') && !r.target.endsWith('/baseline'),
  );
  const idle = tessera.map((r) => r.idleRssMb ?? 0);
  const peak = tessera.filter((r) => r.id.startsWith('v1.app_token.')).map(peakRss);
  if (idle.length) {
    const v = Math.max(...idle);
    checks.push({ name: 'Tessera idle RSS (MB, worst target)', value: v, limit: '<= 150', met: v <= 150 });
  }
  if (peak.length) {
    const v = Math.max(...peak);
    checks.push({
      name: 'Tessera RSS under token load (MB, peak)',
      value: v,
      limit: '<= 300',
      met: v <= 300,
    });
  }
  return { ratios, checks };
}

/** A figure to `digits` decimals, or `—` when it was not measured. */
export const num = (v: number | undefined | null, digits = 0) =>
  v === undefined || v === null ? '—' : v.toFixed(digits);
const mark = (met: boolean | null) => (met === null ? 'n/a' : met ? 'yes' : '**no**');

/**
 * The results as Markdown: the scenario table, then the ratios and checks against the targets.
 *
 * @example
 * ```ts
 * console.log(markdown(results, evaluate(options, results)))
 * ```
 */
export function markdown(
  results: readonly ScenarioResult[],
  verdict: { ratios: Ratio[]; checks: Check[] },
): string {
  const lines = [
    '| Scenario | conns | req/s | p50 ms | p99 ms | errors | p99 ms at ½ rate | server CPU | req per server CPU-s | event loop µs per req | PostgreSQL CPU | load-gen CPU | RSS idle / peak MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    if (!r.available) {
      lines.push(`| ${r.label} | | not available: ${r.reason ?? ''} | | | | | | | | | | |`);
      continue;
    }
    const half = r.half ? `${num(r.half.p99, 1)} (${halfLoad(r.half)})` : '—';
    const rss = r.idleRssMb ? `${num(r.idleRssMb)} / ${num(peakRss(r))}` : '—';
    lines.push(
      `| ${r.label} | ${r.connections} | ${num(r.rps)} | ${num(r.p50, 1)} | ${num(r.p99, 1)} | ${r.errors ?? '—'} | ${half} | ${num(r.serverCpu, 2)} | ${r.serverCpu && r.rps ? num(r.rps / r.serverCpu) : '—'} | ${r.eventLoopCpu !== undefined && r.rps ? num((r.eventLoopCpu / r.rps) * 1e6) : '—'} | ${num(r.databaseCpu, 2)} | ${num(r.loadgenCpu, 2)} | ${rss} |`,
    );
  }
  lines.push(...sweepTable(results));
  lines.push(
    '',
    '| Ratio (same run) | req/s ratio | paired rounds | main pass | per server CPU-s | target (req/s) | met |',
    '|---|---:|---|---:|---:|---:|---|',
  );
  for (const r of verdict.ratios) {
    const rounds = r.rounds ? r.rounds.map((v) => num(v, 2)).join(', ') : '—';
    lines.push(
      `| ${r.name} | ${num(r.value, 2)} | ${rounds} | ${num(r.mainPass, 2)} | ${num(r.perCpu, 2)} | ${r.target === null ? '—' : `≥ ${r.target}`} | ${mark(r.met)} |`,
    );
  }
  lines.push('', '| Check | value | paired rounds | limit | met |', '|---|---:|---|---|---|');
  for (const c of verdict.checks) {
    const rounds = c.rounds ? c.rounds.map((v) => num(v, 1)).join(', ') : '—';
    lines.push(`| ${c.name} | ${num(c.value, 1)} | ${rounds} | ${c.limit} | ${mark(c.met)} |`);
  }
  return lines.join('\n');
}

/** Each swept scenario's rate at every connection count it was probed at; the count it was measured at in bold. */
function sweepTable(results: readonly ScenarioResult[]): string[] {
  const swept = results.filter((r) => r.sweep && r.sweep.length > 1);
  const counts = [...new Set(swept.flatMap((r) => (r.sweep ?? []).map((p) => p.connections)))].sort(
    (a, b) => a - b,
  );
  if (swept.length === 0) return [];
  const lines = [
    '',
    `| Connection sweep (req/s of each probe; measured at the bold one) | ${counts.join(' | ')} |`,
    `|---|${counts.map(() => '---:').join('|')}|`,
  ];
  for (const r of swept) {
    const cells = counts.map((c) => {
      const probe = r.sweep?.find((p) => p.connections === c);
      if (!probe) return '—';
      return c === r.connections ? `**${num(probe.rps)}**` : num(probe.rps);
    });
    lines.push(`| ${r.label} | ${cells.join(' | ')} |`);
  }
  return lines;
}
