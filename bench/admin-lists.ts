/**
 * Benchmark: list endpoints of the Administrator API with 100,000 projects and 100,000 users in the
 * store. Starts the real server (SQLite, or PostgreSQL with --store=postgres), fills the store
 * directly, then times filtered, paged list requests over a real socket and prints p50/p95/p99.
 * Target (issue #3): p99 of a filtered, paged list under 20 ms on the reference machine.
 *
 *   node --conditions=tessera-source --import tsx bench/admin-lists.ts [--store=postgres] [--rows=100000] [--requests=1000]
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { refreshStatistics } from '../packages/server/src/store/dialects/sqlite-statistics.js';
import { runOnSqlite } from '../packages/server/src/store/sqlite-direct.js';
import { adminToken, call } from '../packages/server/test/helpers/api.js';
import { openDirect } from '../packages/server/test/helpers/direct-store.js';
import { startServerProcess } from '../packages/server/test/helpers/server-process.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const quick = process.argv.includes('--quick');
const kind = arg('store', 'sqlite') as 'sqlite' | 'postgres';
const rows = Number(arg('rows', quick ? '10000' : '100000'));
const requests = Number(arg('requests', quick ? '200' : '1000'));

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  const server = await startServerProcess(kind);
  try {
    const admin = await adminToken(server.url);
    const cluster = (await call(server.url, 'POST', '/api/v1/clusters', { name: 'bench' }, admin)).body
      .uuid as string;
    const departments: string[] = [];
    for (let d = 0; d < 20; d++) {
      const res = await call(
        server.url,
        'POST',
        '/api/v1/org-unit/departments',
        { name: `dept-${d}`, clusterId: cluster },
        admin,
      );
      departments.push(res.body.id);
    }
    const fillStart = performance.now();
    const store = openDirect(server.db);
    try {
      const now = Date.now();
      for (let start = 0; start < rows; start += 2000) {
        const n = Math.min(2000, rows - start);
        await store.db.transaction().execute(async (trx) => {
          // 500 rows per statement keeps PostgreSQL under its parameter limit.
          for (let chunk = 0; chunk < n; chunk += 500) {
            const m = Math.min(500, n - chunk);
            const ids = Array.from({ length: m }, (_, i) => start + chunk + i);
            await trx
              .insertInto('projects')
              .values(
                ids.map((i) => ({
                  tenant_id: 1,
                  name: `proj-${String(i).padStart(6, '0')}`,
                  department_id: Number(departments[i % departments.length]),
                  cluster_id: cluster,
                  created_by: 'bench',
                  created_at: now + i,
                  updated_at: now + i,
                })),
              )
              .execute();
            await trx
              .insertInto('users')
              .values(
                ids.map((i) => ({
                  id: uuidv4(),
                  tenant_id: 1,
                  email: `user-${String(i).padStart(6, '0')}@example.com`,
                  name: null,
                  password_hash: 'x',
                  must_change_password: 0,
                  enabled: 1,
                  tokens_valid_after: 0,
                  last_login: null,
                  created_by: 'bench',
                  created_at: now + i,
                  updated_at: now + i,
                })),
              )
              .execute();
          }
        });
      }
      // A bulk load bypasses the server; refresh the planner's statistics the way the server's periodic
      // `PRAGMA optimize` (SQLite, `refreshStatistics`: without per-value samples) or autovacuum
      // (PostgreSQL) eventually would.
      await sql`analyze`.execute(store.db);
      await runOnSqlite(store.db, refreshStatistics);
    } finally {
      await store.close();
    }
    const fillSec = (performance.now() - fillStart) / 1000;

    const scenarios: Record<string, (i: number) => string> = {
      'projects name contains (a search, ~20 hits), sorted': (i) =>
        `/api/v1/org-unit/projects?filterBy=name=@${String((i * 37) % 10000).padStart(4, '0')}&sortBy=name&limit=50`,
      'projects name contains (dense, ~3% of rows), paged': (i) =>
        `/api/v1/org-unit/projects?filterBy=name=@${String(i % 100).padStart(2, '0')}1&sortBy=name&limit=50&offset=${(i % 5) * 50}`,
      'projects name prefix': (i) => `/api/v1/org-unit/projects?filterBy=name=^proj-0${i % 10}&limit=50`,
      'projects of a department, newest first': (i) =>
        `/api/v1/org-unit/projects?filterBy=departmentId==${departments[i % departments.length]}&sortBy=createdAt&sortOrder=desc&limit=50`,
      'users username contains, paged': (i) =>
        `/api/v1/users?filterBy=username=@${String(i % 100).padStart(2, '0')}7&limit=50&offset=${(i % 3) * 50}`,
      'projects count with a filter': (i) => `/api/v1/org-unit/projects/count?filterBy=name=^proj-0${i % 10}`,
    };
    console.log(
      `admin list benchmark: ${kind}, ${rows.toLocaleString()} projects + ${rows.toLocaleString()} users (filled in ${fillSec.toFixed(1)} s), ${requests} requests per scenario, sequential, loopback`,
    );
    console.log('| scenario | p50 ms | p95 ms | p99 ms | max ms | items on page 1 |');
    console.log('|---|---|---|---|---|---|');
    let worst = 0;
    for (const [name, path] of Object.entries(scenarios)) {
      for (let i = 0; i < 50; i++) await call(server.url, 'GET', path(i), undefined, admin); // warm-up
      const times: number[] = [];
      let items = 0;
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const res = await call(server.url, 'GET', path(i), undefined, admin);
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${path(i)} → ${res.status} ${JSON.stringify(res.body)}`);
        if (i === 0)
          items = Array.isArray(res.body) ? res.body.length : (res.body.projects?.length ?? res.body.count);
      }
      times.sort((a, b) => a - b);
      const p99 = pct(times, 99);
      if (!name.includes('count')) worst = Math.max(worst, p99);
      console.log(
        `| ${name} | ${pct(times, 50).toFixed(2)} | ${pct(times, 95).toFixed(2)} | ${p99.toFixed(2)} | ${(times.at(-1) ?? 0).toFixed(2)} | ${items} |`,
      );
    }
    console.log(
      `worst p99 of a filtered, paged list: ${worst.toFixed(2)} ms (target < 20 ms) → ${worst < 20 ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    await server.dispose();
  }
}

await main();
