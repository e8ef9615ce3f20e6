import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { refreshStatistics } from '../../src/store/dialects/sqlite-statistics.js';

const count = (db: SQLite.Database, table: string) =>
  (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('refreshStatistics (SQLite planner statistics)', () => {
  let db: SQLite.Database;

  beforeEach(() => {
    db = new SQLite(':memory:');
    db.exec('create table secrets (id text primary key, owner_type text not null, owner_id text not null)');
    db.exec('create index secrets_owner on secrets (owner_type, owner_id)');
    const insert = db.prepare('insert into secrets values (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run(`s${i}`, i % 50 ? 'app' : 'user', `o${i}`);
    })();
  });

  it('keeps the averages (sqlite_stat1) and forgets the per-value samples (sqlite_stat4)', () => {
    refreshStatistics(db, '0x10002');
    assert.ok(count(db, 'sqlite_stat1') > 0);
    assert.equal(count(db, 'sqlite_stat4'), 0);
    const plan = db
      .prepare('explain query plan select id from secrets where owner_type = ? and owner_id = ?')
      .all('app', 'o1') as { detail: string }[];
    assert.match(plan.map((row) => row.detail).join(' '), /USING INDEX secrets_owner/);
  });

  it('takes samples away that PRAGMA optimize alone would leave (SQLite is built with STAT4)', () => {
    db.pragma('optimize = 0x10002');
    assert.ok(count(db, 'sqlite_stat4') > 0);
  });

  it('forgets samples an earlier ANALYZE left, even when PRAGMA optimize finds nothing stale', () => {
    db.exec('analyze');
    assert.ok(count(db, 'sqlite_stat4') > 0);
    refreshStatistics(db);
    assert.equal(count(db, 'sqlite_stat4'), 0);
    assert.ok(count(db, 'sqlite_stat1') > 0);
  });

  it('does nothing while a transaction is open, which would commit or roll back its statements', () => {
    db.exec('analyze');
    const samples = count(db, 'sqlite_stat4');
    db.exec('begin');
    refreshStatistics(db);
    db.exec('rollback');
    assert.equal(count(db, 'sqlite_stat4'), samples);
  });

  it('is harmless on a store that was never analysed', () => {
    const empty = new SQLite(':memory:');
    refreshStatistics(empty);
    refreshStatistics(empty, '0x10002');
    empty.close();
  });
});
