import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { sqliteDialect } from '../../src/store/dialects/sqlite.js';
import { openStore } from '../../src/store/store.js';

const until = async (what: string, check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

// WAL checkpoints run in a worker thread (store/dialects/sqlite-checkpointer.ts), not inside the
// commits of the event loop; the main connection checkpoints past 2,000 pages, or without it.
describe('SQLite checkpointer', () => {
  it('copies committed pages into the database file without the main connection doing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-checkpoint-'));
    const { dialect, database, checkpointer } = sqliteDialect(dir);
    const db = new Kysely<any>({ dialect });
    try {
      assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 2_000);
      await sql`create table t (id integer primary key, v text)`.execute(db);
      for (let i = 0; i < 200; i++)
        await db
          .insertInto('t')
          .values({ id: i, v: 'x'.repeat(500) })
          .execute();
      await until('a checkpoint of the new pages', () => checkpointer.last.checkpointed > 0);
      assert.equal(checkpointer.last.error, undefined);
      // A copy of the database file alone, without the WAL, holds the rows.
      copyFileSync(join(dir, 'tessera.db'), join(dir, 'copy.db'));
      const file = new SQLite(join(dir, 'copy.db'), { readonly: true });
      try {
        assert.equal((file.prepare('select count(*) as n from t').get() as { n: number }).n, 200);
      } finally {
        file.close();
      }
      // Without the worker, the main connection checkpoints by itself again, at SQLite's default.
      await checkpointer.stop();
      assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 1_000);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a closed store leaves no WAL behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-checkpoint-'));
    try {
      const store = openStore({ databaseUrl: undefined, dataDir: dir });
      await sql`create table t (id integer primary key)`.execute(store.db);
      assert.ok(existsSync(join(dir, 'tessera.db-wal')));
      await store.close();
      assert.equal(existsSync(join(dir, 'tessera.db-wal')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
