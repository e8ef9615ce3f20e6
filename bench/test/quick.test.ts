import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { builtMain } from '../../packages/server/test/helpers/built-main.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the harness end to end as `npm run bench` would, only shorter; resolves with its output. */
function runHarness(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: REPO,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bench harness, smoke run (no timing assertions)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'runs every scenario end to end, prints the table and writes the JSON with 0 errors',
    { timeout: 240_000 },
    async () => {
      const out = join(dir, 'latest.json');
      // The built server, as `npm run bench` runs it (checked fresh); one connection-second per run.
      const run = await runHarness([
        '--quick',
        '--duration=1',
        '--warmup=0.2',
        // Two counts, so that the connection sweep runs too (--quick alone does not sweep).
        '--connections=2,4',
        // One paired round, so that the rounds phase (servers kept up, ratios per round) runs too.
        '--rounds=1',
        // A second application count, so that the first pass over many applications and the ratios
        // between counts run too.
        '--apps=10,200',
        `--server-main=${builtMain('server')}`,
        `--out=${out}`,
        `--keep-logs=${join(dir, 'logs')}`,
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^\| Scenario \| conns \| req\/s \|/m);
      assert.match(run.stdout, /\| Ratio \(same run\) \|/);

      const report = JSON.parse(readFileSync(out, 'utf8')) as {
        scenarios: Array<{
          id: string;
          available: boolean;
          reason?: string;
          requests?: number;
          errors?: number;
          firstError?: string;
          half?: { rps: number; serverP99?: number; serverCpu?: number };
          firstShare?: number;
          firstPass?: { requests: number; errors: number; rps: number };
          connections: number;
          sweep?: Array<{ connections: number; rps: number }>;
        }>;
        ratios: Array<{ name: string; value: number | null; rounds: number[] | null }>;
        machine: { jsLoopNs: number; syscallUs: number; slowWindowsPct: number; slowestWindowPct: number };
      };
      assert.ok(
        report.machine.jsLoopNs > 0 && report.machine.syscallUs > 0,
        'the machine costs are recorded',
      );
      const { slowWindowsPct, slowestWindowPct } = report.machine;
      assert.ok(slowWindowsPct >= 0 && slowWindowsPct <= 100, `slow windows ${slowWindowsPct} %`);
      assert.ok(slowestWindowPct >= 0 && slowestWindowPct <= 100, `slowest window ${slowestWindowPct} %`);
      assert.match(
        run.stdout,
        /µs per system call; a spinning thread did under half its median work in [\d.]+ % of 10 ms windows/,
      );
      const byId = new Map(report.scenarios.map((s) => [s.id, s]));
      // The scenarios whose endpoints exist on every branch must have run.
      for (const id of [
        'limit',
        'limit.node',
        'peer',
        'v1.app_token.sqlite.10',
        'v1.app_token.postgres.10',
        'v1.app_token.sqlite.200',
        'v1.app_token.postgres.200',
        'v1.admin_get',
        'v1.password',
        'argon2id.bare',
        'guard.cluster.off',
        'guard.cluster',
      ]) {
        const s = byId.get(id);
        assert.ok(s?.available, `${id} did not run: ${s?.reason}`);
      }
      for (const s of report.scenarios) {
        if (!s.available) {
          assert.ok(s.reason, `${s.id} is unavailable without a reason`);
          assert.match(run.stdout, /not available/);
          continue;
        }
        assert.equal(
          s.errors,
          0,
          `${s.id} had errors; the first unexpected answer: ${s.firstError ?? 'none (socket errors or timeouts)'}`,
        );
      }
      // Requests still in flight when a run ends are not counted, and one argon2id verify can take
      // longer than a second on a busy machine: only the token endpoints must have completed some.
      for (const id of ['limit', 'v1.app_token.sqlite.10', 'v1.app_token.postgres.10', 'guard.cluster'])
        assert.ok((byId.get(id)?.requests ?? 0) > 0, `${id} completed no request`);
      // Tessera's own p99 at half rate comes from its request log, given enough requests (the half-rate
      // runs of --quick take half the duration: 0.5 s here).
      for (const id of ['v1.app_token.sqlite.10', 'v1.app_token.postgres.10']) {
        const half = byId.get(id)?.half;
        if ((half?.rps ?? 0) * 0.5 >= 150)
          assert.equal(typeof half?.serverP99, 'number', `${id}: no server-side p99 from the request log`);
        // The server's CPU at half rate is read from /proc like the full-rate run's.
        assert.ok((half?.serverCpu ?? -1) >= 0, `${id}: no server CPU at half rate`);
      }
      // Each token scenario first names every one of its applications once (the first pass), so that
      // no measured request names one for the first time.
      for (const [id, apps] of [
        ['v1.app_token.sqlite.10', 10],
        ['v1.app_token.postgres.10', 10],
        ['v1.app_token.sqlite.200', 200],
        ['v1.app_token.postgres.200', 200],
      ] as const) {
        const s = byId.get(id);
        assert.equal(s?.firstPass?.requests, apps, `${id}: first pass`);
        assert.ok((s?.firstPass?.rps ?? 0) > 0, `${id}: first pass rate`);
        assert.equal(s?.firstShare, 0, `${id}: share of first uses`);
      }
      for (const store of ['sqlite', 'postgres']) {
        const sizes = report.ratios.find((r) => r.name === `app_token ${store} 200 apps / 10 apps`);
        assert.equal(sizes?.rounds?.length, 1, `${store}: 200 / 10 apps not measured in the round`);
        const cold = report.ratios.find((r) => r.name.startsWith(`app_token ${store} 200 apps, first pass`));
        assert.equal(typeof cold?.value, 'number', `${store}: no first-pass ratio`);
      }
      // Each Tessera server's log outlives its data dir, named after its target.
      for (const name of ['sqlite-10', 'sqlite-200', 'postgres-10', 'postgres-200'])
        assert.match(
          readFileSync(join(dir, 'logs', `tessera-${name}.log`), 'utf8'),
          /"responseTime":[\d.]+,"msg":"request completed"/,
          `tessera-${name}.log`,
        );
      const limit = byId.get('limit');
      assert.deepEqual(
        limit?.sweep?.map((p) => p.connections),
        [2, 4],
        'the limit was not probed at both connection counts',
      );
      const best = limit?.sweep?.reduce((a, b) => (b.rps > a.rps ? b : a));
      assert.equal(limit?.connections, best?.connections, 'the limit was not measured at its best count');
      assert.match(run.stdout, /\| Connection sweep /);
      const limitRatio = report.ratios.find((r) => r.name === 'app_token sqlite 10 apps / limit');
      assert.equal(typeof limitRatio?.value, 'number');
      assert.equal(limitRatio?.rounds?.length, 1, 'the limit ratio was not measured in the paired round');
      assert.match(run.stderr, /bench: round 1\/1: /);
      const guardRatio = report.ratios.find((r) => r.name === 'Cluster API guard on / guard off');
      assert.equal(typeof guardRatio?.value, 'number');
      // The guard runs its own rounds (one in --quick); its ratio is their median.
      assert.equal(guardRatio?.rounds?.length, 1, 'the guard ratio was not taken from its rounds');
    },
  );
});
