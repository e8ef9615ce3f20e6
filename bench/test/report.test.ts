import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseOptions } from '../src/options.js';
import { evaluate, markdown, median } from '../src/report.js';
import type { ScenarioResult } from '../src/run.js';
import { resultRow as row } from './scenario-result.js';

describe('bench report', () => {
  const options = parseOptions(['--stores=sqlite', '--apps=10,100000']);

  it('computes the issue ratios from figures of the same run', () => {
    const { ratios } = evaluate(options, [
      row('limit', 'limit', 1000),
      row('limit.node', 'limit-node', 1400),
      row('peer', 'peer', 400),
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700),
      row('v1.app_token.sqlite.100000', 'tessera/sqlite/100000', 560),
      row('v1.password', 'tessera/sqlite/10', 9),
      row('argon2id.bare', 'none', 10),
    ]);
    const get = (name: string) => ratios.find((r) => r.name === name);
    assert.equal(get('app_token sqlite 10 apps / limit')?.value, 0.7);
    assert.equal(get('app_token sqlite 10 apps / limit')?.met, true);
    assert.equal(get("app_token sqlite 10 apps / limit with Tessera's signer")?.value, 0.5);
    assert.equal(get("app_token sqlite 10 apps / limit with Tessera's signer")?.met, false);
    assert.equal(get('app_token sqlite 10 apps / oidc-provider')?.value, 1.75);
    assert.equal(get('app_token sqlite 100000 apps / 10 apps')?.value, 0.8);
    assert.equal(get('app_token sqlite 100000 apps / 10 apps')?.met, false);
    assert.equal(get('password grant / bare argon2id')?.value, 0.9);
  });

  it("gives the first pass's rate over the base count's for reference, and counts its memory", () => {
    const firstPass = {
      rps: 350,
      p50: 5,
      p99: 20,
      requests: 100_000,
      errors: 0,
      connections: 128,
      seconds: 285.7,
      serverCpu: 1,
      peakRssMb: 290,
    };
    const results = [
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700, { serverCpu: 1, peakRssMb: 200 }),
      row('v1.app_token.sqlite.100000', 'tessera/sqlite/100000', 630, { firstPass, peakRssMb: 250 }),
    ];
    const { ratios, checks } = evaluate(options, results);
    const cold = ratios.find((r) => r.name.startsWith('app_token sqlite 100000 apps, first pass'));
    assert.deepEqual(
      [cold?.value, cold?.perCpu, cold?.target, cold?.met, cold?.rounds],
      [0.5, 0.5, null, null, null],
    );
    assert.equal(ratios.find((r) => r.name === 'app_token sqlite 100000 apps / 10 apps')?.value, 0.9);
    assert.equal(checks.find((c) => c.name === 'Tessera RSS under token load (MB, peak)')?.value, 290);
  });

  it("gives the event loop's CPU per request when the server's main thread was measured", () => {
    const results = [
      row('limit', 'limit', 2000, { serverCpu: 1, eventLoopCpu: 0.5 }),
      row('peer', 'peer', 1000, { serverCpu: 1 }),
    ];
    const text = markdown(results, evaluate(options, results));
    assert.match(text, /\| event loop µs per req \|/);
    assert.match(text, /\| limit \| 16 \| 2000 \|.*\| 1\.00 \| 2000 \| 250 \|/);
    assert.match(text, /\| peer \| 16 \| 1000 \|.*\| 1\.00 \| 1000 \| — \|/);
  });

  it("tables each swept scenario's probes, the count it was measured at in bold", () => {
    const sweep = [
      { connections: 16, rps: 900, errors: 0 },
      { connections: 64, rps: 1000, errors: 0 },
    ];
    const results = [row('limit', 'limit', 1000, { connections: 64, sweep }), row('peer', 'peer', 400)];
    const text = markdown(results, evaluate(options, results));
    assert.match(
      text,
      /\| Connection sweep \(req\/s of each probe; measured at the bold one\) \| 16 \| 64 \|/,
    );
    assert.match(text, /\| limit \| 900 \| \*\*1000\*\* \|/);
    assert.doesNotMatch(text, /\| peer \| 400 \|$/m, 'a scenario that was not swept has no sweep row');
  });

  it('leaves a ratio unmeasured when a side is unavailable, and says so in the table', () => {
    const results: ScenarioResult[] = [
      row('limit', 'limit', 1000),
      {
        id: 'peer',
        label: 'peer',
        target: 'peer',
        available: false,
        reason: 'probe answered 404',
        connections: 16,
      },
    ];
    const verdict = evaluate(options, results);
    const peerRatio = verdict.ratios.find((r) => r.name === 'app_token sqlite 10 apps / oidc-provider');
    assert.deepEqual([peerRatio?.value, peerRatio?.met], [null, null]);
    const text = markdown(results, verdict);
    assert.match(text, /\| peer \| \| not available: probe answered 404 \|/);
    assert.match(
      text,
      /\| app_token sqlite 10 apps \/ oidc-provider \| — \| — \| — \| — \| ≥ 1\.5 \| n\/a \|/,
    );
  });

  it('takes each ratio per paired round and reports their median, keeping the main pass beside it', () => {
    const round = (rps: number, serverCpu?: number) => ({
      rps,
      errors: 0,
      ...(serverCpu ? { serverCpu } : {}),
    });
    const results = [
      row('limit', 'limit', 1000, { serverCpu: 1, rounds: [round(1000, 1), round(800, 1), round(1000, 1)] }),
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 500, {
        serverCpu: 1,
        rounds: [round(650, 1), round(560, 0.5), round(500, 1)],
      }),
      // The peer has one round fewer: its ratio falls back to the main pass.
      row('peer', 'peer', 400, { rounds: [round(400), round(400)] }),
    ];
    const verdict = evaluate(options, results);
    const limit = verdict.ratios.find((r) => r.name === 'app_token sqlite 10 apps / limit');
    assert.deepEqual(limit?.rounds, [0.65, 0.7, 0.5]);
    assert.equal(limit?.value, 0.65);
    assert.equal(limit?.mainPass, 0.5);
    assert.equal(limit?.met, true);
    assert.equal(limit?.perCpu, 0.65); // per-round per-CPU ratios 0.65, 1.4, 0.5
    const peer = verdict.ratios.find((r) => r.name === 'app_token sqlite 10 apps / oidc-provider');
    assert.deepEqual([peer?.value, peer?.rounds, peer?.met], [1.25, null, false]);
    assert.match(
      markdown(results, verdict),
      /\| app_token sqlite 10 apps \/ limit \| 0\.65 \| 0\.65, 0\.70, 0\.50 \| 0\.50 \| 0\.65 \| ≥ 0\.6 \| yes \|/,
    );
  });

  it('takes p99 at half rate as the median of the paired rounds when they measured it', () => {
    const { checks } = evaluate(options, [
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700, {
        half: { rate: 350, rps: 350, p50: 2, p99: 30, errors: 0 },
        rounds: [8, 12, 9].map((halfP99) => ({ rps: 700, errors: 0, halfP99 })),
      }),
    ]);
    const p99 = checks.find((c) => c.name === 'v1.app_token.sqlite.10 p99 at half rate (ms)');
    assert.deepEqual([p99?.value, p99?.rounds, p99?.met], [9, [8, 12, 9], true]);
    assert.match(
      markdown([], { ratios: [], checks }),
      /\| v1\.app_token\.sqlite\.10 p99 at half rate \(ms\) \| 9\.0 \| 8\.0, 12\.0, 9\.0 \| <= 10 \| yes \|/,
    );
  });

  it('gives the cores the server used at half rate beside that rate, where they were read', () => {
    const table = markdown(
      [
        row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700, {
          half: { rate: 350, rps: 350, p50: 2, p99: 7.25, errors: 0, serverCpu: 0.614, eventLoopCpu: 0.4 },
        }),
        row('peer', 'peer', 400, { half: { rate: 200, rps: 200, p50: 2, p99: 3, errors: 0 } }),
      ],
      evaluate(options, []),
    );
    assert.match(
      table,
      /\| v1\.app_token\.sqlite\.10 \| 16 \| 700 \| .* \| 7\.3 \(at 350\/s, 0\.61 CPU\) \|/,
    );
    assert.match(table, /\| peer \| 16 \| 400 \| .* \| 3\.0 \(at 200\/s\) \|/);
  });

  it("reports the server's own p99 at half rate beside the client's, when its request log gave one", () => {
    const name = (id: string) =>
      `${id} server's own p99 at half rate (ms), from its request log, for reference`;
    const { checks } = evaluate(options, [
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700, {
        half: { rate: 350, rps: 350, p50: 2, p99: 30, errors: 0, serverP99: 20 },
        rounds: [3, 11, 4].map((halfServerP99) => ({ rps: 700, errors: 0, halfP99: 15, halfServerP99 })),
      }),
      row('v1.app_token.sqlite.100000', 'tessera/sqlite/100000', 600, {
        half: { rate: 300, rps: 300, p50: 2, p99: 30, errors: 0, serverP99: 12 },
      }),
      // No request lines (a log level above info): no row.
      row('v1.app_token.postgres.10', 'tessera/postgres/10', 500, {
        half: { rate: 250, rps: 250, p50: 2, p99: 30, errors: 0 },
      }),
    ]);
    const own = checks.find((c) => c.name === name('v1.app_token.sqlite.10'));
    assert.deepEqual([own?.value, own?.rounds, own?.met], [4, [3, 11, 4], true]);
    const mainPassOnly = checks.find((c) => c.name === name('v1.app_token.sqlite.100000'));
    assert.deepEqual([mainPassOnly?.value, mainPassOnly?.rounds, mainPassOnly?.met], [12, null, false]);
    assert.equal(
      checks.find((c) => c.name === name('v1.app_token.postgres.10')),
      undefined,
    );
  });

  it('gives the share of requests naming an application for the first time, when there were any', () => {
    const name = (id: string, mainPass: string) =>
      `${id} requests naming an application for the first time on its server (credential-cache misses), %, main pass ${mainPass}, for reference`;
    const { checks } = evaluate(options, [
      // Ten applications: the warm-up named them all, so every share is 0 and there is no row.
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700, {
        firstShare: 0,
        rounds: [700, 700, 700].map((rps) => ({ rps, errors: 0, firstShare: 0 })),
      }),
      row('v1.app_token.sqlite.100000', 'tessera/sqlite/100000', 560, {
        firstShare: 0.52,
        rounds: [0.2, 0.1, 0.05].map((firstShare) => ({ rps: 600, errors: 0, firstShare })),
      }),
      row('v1.app_token.postgres.100000', 'tessera/postgres/100000', 300, { firstShare: 0.4 }),
      row('limit', 'limit', 1000),
    ]);
    const cold = checks.find((c) => c.name === name('v1.app_token.sqlite.100000', '52.0'));
    assert.deepEqual([cold?.value, cold?.rounds, cold?.limit, cold?.met], [10, [20, 10, 5], '—', null]);
    const mainPassOnly = checks.find((c) => c.name === name('v1.app_token.postgres.100000', '40.0'));
    assert.deepEqual([mainPassOnly?.value, mainPassOnly?.rounds], [40, null]);
    assert.equal(checks.filter((c) => c.name.includes('first time')).length, 2);
    assert.match(
      markdown([], { ratios: [], checks }),
      /\| v1\.app_token\.sqlite\.100000 requests naming .* main pass 52\.0, for reference \| 10\.0 \| 20\.0, 10\.0, 5\.0 \| — \| n\/a \|/,
    );
  });

  it('the median of an even count is the mean of the middle two', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('checks p99 at half rate, errors and memory bounds', () => {
    const { checks } = evaluate(options, [
      row('limit', 'limit', 1000, { half: { rate: 500, rps: 500, p50: 1, p99: 4, errors: 0 } }),
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 700, {
        errors: 1,
        idleRssMb: 90,
        peakRssMb: 310,
        half: { rate: 350, rps: 350, p50: 2, p99: 12, errors: 0 },
      }),
    ]);
    const get = (name: string) => checks.find((c) => c.name === name);
    assert.equal(get('v1.app_token.sqlite.10 p99 at half rate (ms)')?.met, false);
    assert.equal(get('limit p99 at half rate (ms), the bare server for reference')?.value, 4);
    assert.equal(get('v1.app_token.sqlite.10 errors')?.met, false);
    assert.equal(get('Tessera idle RSS (MB, worst target)')?.met, true);
    assert.equal(get('Tessera RSS under token load (MB, peak)')?.met, false);
  });

  it("the memory bound under load takes the paired rounds' peaks too", () => {
    const results = [
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 900, {
        idleRssMb: 100,
        peakRssMb: 240,
        rounds: [
          { rps: 900, errors: 0, peakRssMb: 250 },
          { rps: 900, errors: 0, peakRssMb: 320 },
        ],
      }),
    ];
    const evaluation = evaluate(options, results);
    const check = evaluation.checks.find((c) => c.name === 'Tessera RSS under token load (MB, peak)');
    assert.deepEqual([check?.value, check?.met], [320, false]);
    assert.match(markdown(results, evaluation), /\| 100 \/ 320 \|/);
  });

  it('with --baseline, compares each app_token scenario with the other build, without a target', () => {
    const withBaseline = parseOptions([
      '--stores=sqlite',
      '--apps=10',
      `--baseline=${fileURLToPath(import.meta.url)}`,
    ]);
    const results = [
      row('v1.app_token.sqlite.10', 'tessera/sqlite/10', 900, { idleRssMb: 100, peakRssMb: 120 }),
      row('v1.app_token.sqlite.10.baseline', 'tessera/sqlite/10/baseline', 600, {
        idleRssMb: 170,
        peakRssMb: 400,
      }),
    ];
    const { ratios, checks } = evaluate(withBaseline, results);
    const vs = ratios.find((r) => r.name === 'app_token sqlite 10 apps / baseline build');
    assert.deepEqual([vs?.value, vs?.target, vs?.met], [1.5, null, null]);
    assert.match(
      markdown(results, { ratios, checks }),
      /\| app_token sqlite 10 apps \/ baseline build \| 1\.50 \|.*\| — \| n\/a \|/,
    );
    // The memory bounds judge this build only.
    const get = (name: string) => checks.find((c) => c.name === name);
    assert.deepEqual(
      [
        get('Tessera idle RSS (MB, worst target)')?.value,
        get('Tessera RSS under token load (MB, peak)')?.value,
      ],
      [100, 120],
    );
    assert.equal(ratios.filter((r) => r.name.includes('baseline')).length, 1);
    assert.equal(
      evaluate(options, results).ratios.some((r) => r.name.includes('baseline')),
      false,
    );
  });
});
