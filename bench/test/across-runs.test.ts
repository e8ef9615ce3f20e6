import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acrossRuns, acrossRunsMarkdown, type RunRecord } from '../src/across-runs.js';
import { parseOptions } from '../src/options.js';
import { evaluate } from '../src/report.js';
import { GUARD_OFF_ID, GUARD_ON_ID } from '../src/scenarios/guard.js';
import { resultRow as row } from './scenario-result.js';

/** A run's record as `main.ts` writes it, its verdict computed by the report from these figures. */
function run(
  startedAt: string,
  args: string[],
  figures: {
    password: number;
    errors?: number;
    elapsedSec?: number;
    halfP99?: number;
    slowWindowsPct?: number;
  },
): RunRecord {
  const options = parseOptions(['--stores=sqlite', ...args]);
  const paced = (rate: number, p99: number) => ({ rate, rps: rate, p50: 1, p99, errors: 0 });
  const half = Object.assign(paced(350, figures.halfP99 ?? 4), { serverP99: 2 });
  const results = [
    row('limit', 'limit', 1000, { half: paced(500, 3) }),
    row('limit.node', 'limit-node', 1100, { half: paced(550, 3) }),
    row('peer', 'peer', 400),
    row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700, { half, idleRssMb: 140, peakRssMb: 230 }),
    ...(options.appCounts.includes(100_000)
      ? [
          row('v1.app_token.sqlite.100000', 'tessera/sqlite/100000', 650, {
            half,
            idleRssMb: 140,
            peakRssMb: 240,
          }),
        ]
      : []),
    row('v1.password', 'tessera/sqlite/10', figures.password, { errors: figures.errors ?? 0 }),
    row('argon2id.bare', 'none', 100),
    row(GUARD_OFF_ID, 'none', 6000),
    row(GUARD_ON_ID, 'none', 5900),
  ];
  return {
    startedAt,
    elapsedSec: figures.elapsedSec ?? (options.quick ? 50 : 560),
    // Runs before the twenty-sixth session did not measure the CPU's steadiness.
    machine: Object.assign(
      { syscallUs: 0.6, jsLoopNs: 0.5 },
      figures.slowWindowsPct === undefined ? {} : { slowWindowsPct: figures.slowWindowsPct },
    ),
    options,
    scenarios: results,
    ...evaluate(options, results),
  };
}

describe('bench across runs', () => {
  const quick = run('2026-11-30T16:33:00.000Z', ['--quick'], { password: 95 });
  const good = run('2026-11-30T16:34:00.000Z', ['--apps=10,100000'], { password: 92, slowWindowsPct: 2.5 });
  const bad = run('2026-11-30T16:50:00.000Z', ['--apps=10,100000'], {
    password: 80,
    errors: 3,
    elapsedSec: 640,
    halfP99: 12,
  });

  it('lines up each target across the runs and counts the runs that met it', () => {
    const { targets } = acrossRuns([good, bad]);
    const password = targets.find((t) => t.name === 'password grant / bare argon2id');
    assert.deepEqual(password?.values, [0.92, 0.8]);
    assert.deepEqual(password?.met, [true, false]);
    const errors = targets.find((t) => t.name === 'errors, every scenario (sum)');
    assert.deepEqual(errors?.values, [0, 3]);
    assert.deepEqual(errors?.met, [true, false]);
    assert.equal(targets.filter((t) => t.name.endsWith(' errors')).length, 0, 'one row for all errors');
  });

  it('names what each run missed, leaving out the figures given for reference', () => {
    const { missed } = acrossRuns([good, bad]);
    assert.deepEqual(missed[0], []);
    assert.deepEqual(missed[1], [
      'password grant / bare argon2id',
      'errors, every scenario (sum)',
      'v1.app_token.sqlite.10 p99 at half rate (ms)',
      'v1.app_token.sqlite.100000 p99 at half rate (ms)',
      'run time (s)',
    ]);
  });

  it('keeps the report order when a quick run without 100,000 applications comes first', () => {
    const { targets, missed } = acrossRuns([quick, good]);
    const names = targets.map((t) => t.name);
    assert.equal(
      names.indexOf('app_token sqlite 100000 apps / 10 apps'),
      names.indexOf('app_token sqlite 10 apps / oidc-provider') + 1,
    );
    const scaling = targets.find((t) => t.name === 'app_token sqlite 100000 apps / 10 apps');
    assert.deepEqual(scaling?.met, [null, true]);
    assert.ok(missed[0]?.includes('app_token sqlite 100000 apps / 10 apps'), 'not measured is not met');
    assert.deepEqual(missed[1], []);
  });

  it('writes both tables as Markdown, a miss marked in its cell', () => {
    const text = acrossRunsMarkdown(acrossRuns([good, bad]));
    assert.match(
      text,
      /^\| 2026-11-30 16:34 \| full \| 560 \| 0\.60 \| 0\.50 \| 2\.5 \| 1000 \| 12 of 12 \|$/m,
    );
    assert.match(
      text,
      /^\| 2026-11-30 16:50 \| full \| 640 \| 0\.60 \| 0\.50 \| — \| 1000 \| 7 of 12 \(missed: password grant/m,
    );
    assert.match(text, /^\| password grant \/ bare argon2id \| ≥ 0\.9 \| 0\.92 \| 0\.80 ✗ \| 1 of 2 \|$/m);
    assert.match(text, /^\| errors, every scenario \(sum\) \| = 0 \| 0 \| 3 ✗ \| 1 of 2 \|$/m);
    assert.match(
      text,
      /^\| limit p99 at half rate \(ms\), the bare server for reference \| <= 10 \| 3\.0 \| 3\.0 \| \(2 of 2, for reference\) \|$/m,
    );
  });

  it('heads the columns with the date too when the runs span days', () => {
    const nextDay = run('2026-12-01T09:05:00.000Z', ['--apps=10,100000'], { password: 93 });
    const text = acrossRunsMarkdown(acrossRuns([good, nextDay]));
    assert.match(text, /^\| target \| bound \| 2026-11-30 16:34 \| 2026-12-01 09:05 \| met in \|$/m);
    assert.match(
      acrossRunsMarkdown(acrossRuns([good, bad])),
      /^\| target \| bound \| 16:34 \| 16:50 \| met in \|$/m,
    );
  });
});
