import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Kysely, sql } from 'kysely';
import { sqliteDialect } from '../../src/store/dialects/sqlite.js';

// The SQLite dialect reuses prepared statements by SQL text (bench/README.md): results must stay
// right across parameters, schema changes and many distinct texts.
describe('SQLite statement cache', () => {
  it('reuses statements with fresh parameters, survives schema changes and many distinct texts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-sqlite-cache-'));
    const db = new Kysely<any>({ dialect: sqliteDialect(dir).dialect });
    try {
      await sql`create table t (id integer primary key, v text)`.execute(db);
      for (let i = 0; i < 5; i++)
        await db
          .insertInto('t')
          .values({ id: i, v: `v${i}` })
          .execute();
      for (let i = 0; i < 5; i++) {
        const row = await db.selectFrom('t').selectAll().where('id', '=', i).executeTakeFirst();
        assert.deepEqual(row, { id: i, v: `v${i}` });
      }
      await sql`alter table t add column w text default 'x'`.execute(db);
      const widened = await db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirst();
      assert.deepEqual(widened, { id: 1, v: 'v1', w: 'x' });
      // More distinct texts than the cache holds: every query still answers right.
      for (let n = 1; n <= 1100; n++) {
        const ids = Array.from({ length: n % 40 === 0 ? 2 : 1 }, (_, k) => (n + k) % 5);
        const rows = await db
          .selectFrom('t')
          .select('id')
          .where('id', 'in', ids)
          .where(sql<boolean>`${sql.raw(String(n))} > 0`)
          .execute();
        assert.deepEqual(rows.map((r) => r.id).sort(), [...new Set(ids)].sort());
      }
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
