import { PostgresAdapter, type Kysely } from 'kysely';
import { auditRows, recordAuditBatch, type AuditEvent } from '../audit/audit-log.js';
import type { Database } from '../store/schema.js';
import { runOnSqlite } from '../store/sqlite-direct.js';
import type { LastLogin } from './grant.js';
import { writePostgresBatch } from './journal-postgres.js';
import { sqliteBatchWriter, type SqliteBatchWriter } from './journal-sqlite.js';

/** Most grants committed together; keeps one INSERT well under both dialects' parameter limits. */
const MAX_BATCH = 256;

interface Entry {
  event: AuditEvent;
  at: number;
  touch: ((db: Kysely<Database>) => Promise<void>) | undefined;
  lastLogin: LastLogin | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Writes token-grant bookkeeping (audit event, last login) with group commit. */
export interface GrantJournal {
  /**
   * Resolves once `event` (and `touch`, run in the same transaction) has committed; rejects if
   * that transaction failed, in which case nothing of it was written. With `lastLogin`, `touch` is
   * not called: the batch sets `last_login` of all its rows of a table in one UPDATE instead.
   */
  record(
    event: AuditEvent,
    touch?: (db: Kysely<Database>) => Promise<void>,
    lastLogin?: LastLogin,
  ): Promise<void>;
}

const journals = new WeakMap<Kysely<Database>, GrantJournal>();

/**
 * The journal of a store. Group commit: grants that arrive while a transaction is being written
 * wait and are written together in the next one, so under load one commit (one WAL write, one
 * fsync on PostgreSQL) serves many grants; alone, a grant is written on the next turn of the event
 * loop. A caller still answers only after its own event has committed, so every issued token is
 * audited exactly as before (bench/README.md has the figures).
 *
 * @example
 * ```ts
 * await grantJournal(ctx.store.db).record(event, outcome.touch)
 * ```
 */
export function grantJournal(db: Kysely<Database>): GrantJournal {
  let journal = journals.get(db);
  if (!journal) {
    journal = createJournal(db);
    journals.set(db, journal);
  }
  return journal;
}

function createJournal(db: Kysely<Database>): GrantJournal {
  let pending: Entry[] = [];
  let running = false;

  // PostgreSQL can set last_login and append the events in one statement (a data-modifying WITH):
  // atomic on its own, so the batch costs one round trip instead of BEGIN, UPDATE, INSERT, COMMIT.
  const oneStatement = db.getExecutor().adapter instanceof PostgresAdapter;
  // SQLite runs the same batch as prepared statements in one synchronous transaction.
  let sqliteWriter: SqliteBatchWriter | undefined;

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(batch.length);
      try {
        const { logins, at, touches } = lastLogins(batch);
        const written =
          touches.length === 0
            ? runOnSqlite(db, (sqlite) =>
                (sqliteWriter ??= sqliteBatchWriter(sqlite))(logins, at, auditRows(batch)),
              )
            : undefined;
        if (written) await written;
        else if (oneStatement && touches.length === 0)
          await writePostgresBatch(db, logins, at, auditRows(batch));
        else
          await db.transaction().execute(async (trx) => {
            for (const touch of touches) await touch(trx);
            for (const [table, ids] of logins)
              await trx
                .updateTable(table)
                .set({ last_login: at })
                .where('id', 'in', [...ids])
                .execute();
            await recordAuditBatch(trx, batch);
          });
        for (const entry of batch) entry.resolve();
      } catch (err) {
        for (const entry of batch) entry.reject(err);
      }
    }
    running = false;
  }

  return {
    record: (event, touch, lastLogin) =>
      new Promise<void>((resolve, reject) => {
        pending.push({ event, at: Date.now(), touch, lastLogin, resolve, reject });
        if (!running) {
          running = true;
          setImmediate(() => void drain());
        }
      }),
  };
}

/** The rows whose last_login a batch sets (latest grant's time), and the touches of grants that name none. */
function lastLogins(batch: readonly Entry[]): {
  logins: Map<LastLogin['table'], Set<string>>;
  at: number;
  touches: ((db: Kysely<Database>) => Promise<void>)[];
} {
  const logins = new Map<LastLogin['table'], Set<string>>();
  let at = 0;
  const touches: ((db: Kysely<Database>) => Promise<void>)[] = [];
  for (const entry of batch) {
    if (entry.lastLogin) {
      const { table, id } = entry.lastLogin;
      let ids = logins.get(table);
      if (!ids) logins.set(table, (ids = new Set()));
      ids.add(id);
      at = Math.max(at, entry.at);
    } else if (entry.touch) touches.push(entry.touch);
  }
  return { logins, at, touches };
}
