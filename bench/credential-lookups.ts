/**
 * Benchmark: what the token endpoint's credential lookup (`credentials/app-lookup-batch.ts`, the
 * query a grant runs when the credential cache cannot answer) costs, counted rather than timed:
 * PostgreSQL's CPU (every process of it, from /proc) and this process's CPU, per lookup, for
 * lookups of random applications out of `--apps`, `--size` at a time (one batch query on
 * PostgreSQL). The server is not involved; the real lookup runs on a migrated store. On SQLite,
 * `--analyze` gives the store the planner statistics a long-running server has (`ANALYZE`, then
 * `refreshStatistics` as the server runs it), and `--analyze=samples` keeps the per-value samples
 * that `refreshStatistics` forgets (what the server had before the nineteenth session).
 *
 *   node --conditions=tessera-source --import tsx bench/credential-lookups.ts [--store=postgres|sqlite] [--apps=100000] [--batches=3000] [--size=8] [--analyze[=samples]]
 */
import { lookupLocksAndApp } from '../packages/server/src/credentials/app-lookup-batch.js';
import { deriveMasterKey } from '../packages/server/src/crypto/master-key.js';
import { throttleKeys } from '../packages/server/src/oauth/throttle.js';
import { refreshStatistics } from '../packages/server/src/store/dialects/sqlite-statistics.js';
import { runOnSqlite } from '../packages/server/src/store/sqlite-direct.js';
import { openMigratedStore } from '../packages/server/test/helpers/migrated-store.js';
import { countCpu } from './src/proc.js';
import { seedApps } from './src/targets/seed.js';

const option = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const kind = option('store', 'postgres');
const appCount = Number(option('apps', '100000'));
const batches = Number(option('batches', '3000'));
const size = Number(option('size', '8'));
const analyze = process.argv.includes('--analyze') ? 'forget' : option('analyze', '');

async function main(): Promise<void> {
  if (kind !== 'postgres' && kind !== 'sqlite') throw new Error('--store must be postgres or sqlite');
  const { database, store } = await openMigratedStore(kind, {
    admin: { email: 'bench@example.com', password: 'bench-password-1' },
  });
  try {
    const apps = await seedApps(
      kind === 'postgres'
        ? { kind, databaseUrl: database.databaseUrl! }
        : { kind, dataDir: database.dataDir! },
      deriveMasterKey(Buffer.alloc(32)).pepper,
      appCount,
    );
    if (analyze && kind === 'sqlite')
      await runOnSqlite(store.db, (sqlite) => {
        sqlite.exec('analyze');
        if (analyze === 'forget') refreshStatistics(sqlite);
      });
    const lookup = async () => {
      const app = apps[Math.floor(Math.random() * apps.length)]!;
      const keys = throttleKeys(1, { kind: 'client', account: app.name, address: '127.0.0.1' });
      const rows = await lookupLocksAndApp(store.db, {
        pair: keys.pair,
        address: keys.address,
        tenantId: 1,
        identifier: app.name,
        now: Date.now(),
      });
      if (rows[0]?.id !== app.id) throw new Error(`lookup of ${app.name} did not find it`);
    };
    const batch = () => Promise.all(Array.from({ length: size }, lookup));
    for (let i = 0; i < 200; i++) await batch(); // warm: plans, caches
    const { wallSec, ownCpuUs, postgresCpuUs } = await countCpu(async () => {
      for (let i = 0; i < batches; i++) await batch();
    });
    const lookups = batches * size;
    console.log(
      `${kind}, ${appCount} applications, ${batches} batches of ${size}: ` +
        (kind === 'postgres' ? `PostgreSQL CPU ${(postgresCpuUs / lookups).toFixed(1)} µs/lookup, ` : '') +
        `this process's CPU ${(ownCpuUs / lookups).toFixed(1)} µs/lookup, wall ${((wallSec * 1e6) / lookups).toFixed(1)} µs/lookup`,
    );
  } finally {
    await store.close();
    await database.drop();
  }
}

await main();
