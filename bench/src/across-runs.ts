import { num, type Check, type Ratio } from './report.js';

/** What `across-runs` reads of a run's JSON (`bench/results/latest.json`, or one kept in `bench/runs/`). */
export interface RunRecord {
  startedAt: string;
  elapsedSec: number;
  machine: { syscallUs?: number; jsLoopNs?: number; slowWindowsPct?: number };
  options: { quick: boolean };
  scenarios: ReadonlyArray<{ id: string; rps?: number }>;
  ratios: readonly Ratio[];
  checks: readonly Check[];
}

/** One of the issue's targets (or a figure given beside them for reference) in every run read. */
export interface TargetAcrossRuns {
  name: string;
  /** The bound as the report writes it: `≥ 0.6`, `<= 10`. */
  bound: string;
  /** The run's figure (its paired rounds' median), null where that run did not measure it. */
  values: Array<number | null>;
  met: Array<boolean | null>;
  /** A figure for reference (a bare limit's latency, the server's own): no run is judged by it. */
  reference: boolean;
}

/** The targets across runs, and per run the targets it missed (reference rows left out). */
export interface AcrossRuns {
  runs: readonly RunRecord[];
  targets: TargetAcrossRuns[];
  /** Per run, the names of the targets it missed or did not measure. */
  missed: string[][];
}

/** The issue's bound on a run's length: a full run under 10 minutes, `--quick` under 60 s. */
const RUN_TIME = 'run time (s)';
/** Every scenario's errors in one row: each is a target of its own in the run's report. */
const ERRORS = 'errors, every scenario (sum)';

/**
 * Lines up several runs' verdicts target by target. A single run cannot call a ratio within its
 * noise of the target (on these shared machines one ratio's paired rounds spread by ±10–20 %), so
 * whether a target holds is a count over runs: `met in 7 of 9`, with each run's figure and the
 * machine it ran on. Ratios without a target (`--baseline` comparisons) and figures without a bound
 * (the share of first uses) are left out, every scenario's error count is summed into one row, and
 * latencies the report gives "for reference" are kept but judge no run.
 *
 * @example
 * ```ts
 * const summary = acrossRuns([JSON.parse(readFileSync('bench/runs/a.json', 'utf8')), …])
 * summary.missed[0] // ['password grant / bare argon2id', …]
 * ```
 */
export function acrossRuns(runs: readonly RunRecord[]): AcrossRuns {
  const rows = new Map<string, TargetAcrossRuns>();
  const row = (name: string, bound: string, reference: boolean) => {
    let r = rows.get(name);
    if (!r) {
      r = { name, bound, values: runs.map(() => null), met: runs.map(() => null), reference };
      rows.set(name, r);
    }
    return r;
  };
  // The run with the most figures goes first, so that the rows keep the report's order (a quick
  // run, without 100,000 applications, would otherwise push those rows to the end).
  const byFigures = runs
    .map((run, i) => ({ run, i }))
    .sort((a, b) => b.run.ratios.length + b.run.checks.length - (a.run.ratios.length + a.run.checks.length));
  for (const { run, i } of byFigures) {
    for (const ratio of run.ratios) {
      if (ratio.target === null) continue;
      const r = row(ratio.name, `≥ ${ratio.target}`, false);
      r.values[i] = ratio.value;
      r.met[i] = ratio.met;
    }
    const errors = run.checks.filter((c) => c.limit === '= 0');
    const all = row(ERRORS, '= 0', false);
    all.values[i] = errors.reduce((sum, c) => sum + (c.value ?? 0), 0);
    all.met[i] = errors.every((c) => c.met === true);
    for (const check of run.checks) {
      if (check.limit === '—' || check.limit === '= 0') continue;
      const r = row(check.name, check.limit, check.name.includes('for reference'));
      r.values[i] = check.value;
      r.met[i] = check.met;
    }
    const time = row(RUN_TIME, '< 600 full, < 60 quick', false);
    time.values[i] = run.elapsedSec;
    time.met[i] = run.elapsedSec < (run.options.quick ? 60 : 600);
  }
  const targets = [...rows.values()];
  const missed = runs.map((_, i) =>
    targets.filter((t) => !t.reference && t.met[i] !== true).map((t) => t.name),
  );
  return { runs, targets, missed };
}

/** `2026-11-30T16:50:20.273Z` → `2026-11-30 16:50`. */
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** A run's column heading: its start's time of day, with the date too when the runs span days. */
function columnOf(runs: readonly RunRecord[]): (run: RunRecord) => string {
  const oneDay = new Set(runs.map((r) => r.startedAt.slice(0, 10))).size === 1;
  return (run) => (oneDay ? minute(run.startedAt).slice(11) : minute(run.startedAt));
}

/**
 * {@link acrossRuns} as Markdown: a table of the runs (when, how long, the machine's two costs and
 * its CPU's steadiness, the jose limit's rate, targets met) and one of the targets, each run's figure
 * in a column (a miss marked ✗) and how many runs met it.
 *
 * @example
 * ```ts
 * process.stdout.write(acrossRunsMarkdown(acrossRuns(records)) + '\n')
 * ```
 */
export function acrossRunsMarkdown({ runs, targets, missed }: AcrossRuns): string {
  const judged = targets.filter((t) => !t.reference).length;
  const lines = [
    '| run (UTC) | kind | time s | µs a system call | ns a JS loop iteration | % of 10 ms windows at under half speed | jose limit req/s | targets met |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  runs.forEach((run, i) => {
    const limit = run.scenarios.find((s) => s.id === 'limit')?.rps;
    const misses = missed[i] ?? [];
    lines.push(
      `| ${minute(run.startedAt)} | ${run.options.quick ? 'quick' : 'full'} | ${num(run.elapsedSec, 0)} | ${num(run.machine.syscallUs, 2)} | ${num(run.machine.jsLoopNs, 2)} | ${num(run.machine.slowWindowsPct, 1)} | ${num(limit, 0)} | ${judged - misses.length} of ${judged}${misses.length ? ` (missed: ${misses.join('; ')})` : ''} |`,
    );
  });
  lines.push(
    '',
    `| target | bound | ${runs.map(columnOf(runs)).join(' | ')} | met in |`,
    `|---|---|${runs.map(() => '---:').join('|')}|---|`,
  );
  for (const t of targets) {
    const digits = t.bound.startsWith('≥') ? 2 : t.bound === '= 0' ? 0 : 1;
    const cells = t.values.map((v, i) => `${num(v, digits)}${t.met[i] === false ? ' ✗' : ''}`);
    const measured = t.met.filter((m) => m !== null).length;
    const met = t.met.filter((m) => m === true).length;
    lines.push(
      `| ${t.name} | ${t.bound} | ${cells.join(' | ')} | ${t.reference ? `(${met} of ${measured}, for reference)` : `${met} of ${measured}`} |`,
    );
  }
  return lines.join('\n');
}
