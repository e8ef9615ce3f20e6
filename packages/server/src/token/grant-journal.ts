import { PostgresAdapter, type Kysely } from 'kysely';
import { auditRows, type AuditEvent } from '../audit/audit-log.js';
import { holdConnection } from '../store/postgres-direct.js';
import type { Database } from '../store/schema.js';
import { runOnSqlite } from '../store/sqlite-direct.js';
import type { LastLogin } from './grant.js';
import { writePostgresBatch } from './journal-postgres.js';
import { sqliteBatchWriter, type SqliteBatchWriter } from './journal-sqlite.js';
import { recentLogins } from './recent-logins.js';

/** Most grants committed together; keeps one INSERT well under both dialects' parameter limits. */
const MAX_BATCH = 256;

interface Entry {
  event: AuditEvent;
  at: number;
  lastLogin: LastLogin | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Writes token-grant bookkeeping (audit event, last login) with group commit. */
export interface GrantJournal {
  /**
   * Resolves once `event`, and the last login of `lastLogin`'s row, have committed; rejects if that
   * commit failed, in which case nothing of it was written. A row this process set lately (up to
   * ten minutes for an application, one for a cluster) is not set again (`recent-logins.ts`).
   */
  record(event: AuditEvent, lastLogin?: LastLogin): Promise<void>;
}

const journals = new WeakMap<Kysely<Database>, GrantJournal>();

/**
 * The journal of a store. Group commit: grants that arrive while a batch is being written wait and
 * are written together in the next one, so under load one commit (one WAL write, one fsync on
 * PostgreSQL) serves many grants; alone, a grant is written on the next turn of the event loop. A
 * caller still answers only after its own event has committed, so every issued token is audited
 * exactly as before (bench/README.md has the figures). A batch is one synchronous transaction on
 * SQLite (`journal-sqlite.ts`) and one statement on PostgreSQL (`journal-postgres.ts`).
 *
 * @example
 * ```ts
 * await grantJournal(ctx.store.db).record(event, outcome.lastLogin)
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
  let sqliteWriter: SqliteBatchWriter | undefined;
  const recent = recentLogins();
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Its own connection: a committed batch's successor is sent at once (store/postgres-direct.ts).
  const held = postgres ? holdConnection(db) : undefined;
  const write = (
    logins: Map<LastLogin['table'], Set<string>>,
    at: number,
    rows: ReturnType<typeof auditRows>,
  ) => {
    const written = runOnSqlite(db, (sqlite) =>
      (sqliteWriter ??= sqliteBatchWriter(sqlite))(logins, at, rows),
    );
    if (written) return written;
    if (postgres) return writePostgresBatch(db, logins, at, rows, held);
    // A SQLite transaction, or a store opened without registerSqlite: the journal needs the root.
    throw new Error('grant journal: needs a SQLite store root instance or PostgreSQL');
  };

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(batch.length);
      try {
        const { logins, at } = lastLogins(batch);
        await write(logins, at, auditRows(batch));
        recent.committed(logins, at);
        for (const entry of batch) entry.resolve();
      } catch (err) {
        for (const entry of batch) entry.reject(err);
      }
    }
    running = false;
  }

  return {
    record: (event, lastLogin) =>
      new Promise<void>((resolve, reject) => {
        const at = Date.now();
        const login = lastLogin && recent.due(lastLogin, at) ? lastLogin : undefined;
        pending.push({ event, at, lastLogin: login, resolve, reject });
        if (!running) {
          running = true;
          setImmediate(() => void drain());
        }
      }),
  };
}

/** The rows whose last_login a batch sets, per table, and the time it sets (its latest grant's). */
function lastLogins(batch: readonly Entry[]): { logins: Map<LastLogin['table'], Set<string>>; at: number } {
  const logins = new Map<LastLogin['table'], Set<string>>();
  let at = 0;
  for (const entry of batch) {
    if (!entry.lastLogin) continue;
    const { table, id } = entry.lastLogin;
    let ids = logins.get(table);
    if (!ids) logins.set(table, (ids = new Set()));
    ids.add(id);
    at = Math.max(at, entry.at);
  }
  return { logins, at };
}
