/**
 * Benchmark: what the grant journal's PostgreSQL statement (`token/journal-postgres.ts`) costs the
 * database, counted rather than timed: PostgreSQL's CPU (every process of it, from /proc) and the
 * WAL it writes, per grant, for batches of random applications out of `--apps`. The server is not
 * involved: the real writer runs back to back on a migrated store, one batch at a time as in the
 * server. Timed figures on these shared machines drift by ±10 %; CPU counted over thousands of
 * batches is steadier (bench/README.md, thirteenth session).
 *
 *   node --conditions=tessera-source --import tsx bench/journal-postgres.ts [--apps=100000] [--batches=3000] [--size=8] [--logins=1]
 */
import { sql } from 'kysely';
import { deriveMasterKey } from '../packages/server/src/crypto/master-key.js';
import { writePostgresBatch } from '../packages/server/src/token/journal-postgres.js';
import { openMigratedStore } from '../packages/server/test/helpers/migrated-store.js';
import { countCpu } from './src/proc.js';
import { seedApps } from './src/targets/seed.js';

const arg = (name: string, fallback: string) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const appCount = arg('apps', '100000');
const batches = arg('batches', '3000');
const size = arg('size', '8');
// 0: batches that set no last login (rows set lately, `recent-logins.ts`), the common case.
const logins = arg('logins', '1') !== 0;

async function main(): Promise<void> {
  const { database, store } = await openMigratedStore('postgres', {
    admin: { email: 'bench@example.com', password: 'bench-password-1' },
  });
  try {
    const apps = await seedApps(
      { kind: 'postgres', databaseUrl: database.databaseUrl! },
      deriveMasterKey(Buffer.alloc(32)).pepper,
      appCount,
    );
    const batch = () => {
      const ids = new Set<string>();
      while (ids.size < Math.min(size, apps.length))
        ids.add(apps[Math.floor(Math.random() * apps.length)]!.id);
      const at = Date.now();
      const rows = [...ids].map((id) => ({
        tenant_id: 1,
        timestamp: at,
        actor_type: 'app',
        actor_id: id,
        actor_name: `app-${id}`,
        action: 'token.issue',
        resource_type: 'token',
        result: 'success' as const,
        source_ip: '127.0.0.1',
        details: '{"grantType":"app_token"}',
      }));
      return writePostgresBatch(store.db, new Map(logins ? [['applications', ids]] : []), at, rows);
    };
    for (let i = 0; i < 200; i++) await batch(); // warm: plans, caches
    const wal = async () =>
      (await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(store.db)).rows[0]!.lsn;
    const walStart = await wal();
    const { wallSec, ownCpuUs, postgresCpuUs } = await countCpu(async () => {
      for (let i = 0; i < batches; i++) await batch();
    });
    const walEnd = await wal();
    const walBytes = Number(
      (
        await sql<{
          d: string;
        }>`select pg_wal_lsn_diff(${walEnd}::pg_lsn, ${walStart}::pg_lsn)::text as d`.execute(store.db)
      ).rows[0]!.d,
    );
    const grants = batches * size;
    console.log(
      `${appCount} applications, ${batches} batches of ${size}: PostgreSQL CPU ${(postgresCpuUs / grants).toFixed(1)} µs/grant, ` +
        `this process's CPU ${(ownCpuUs / grants).toFixed(1)} µs/grant, wall ${((wallSec * 1e6) / grants).toFixed(1)} µs/grant, WAL ${(walBytes / grants).toFixed(0)} B/grant`,
    );
  } finally {
    await store.close();
    await database.drop();
  }
}

await main();
