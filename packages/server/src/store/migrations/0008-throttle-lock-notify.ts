import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * PostgreSQL: `auth_throttle` announces on `tessera_credentials` only the changes a credential
 * check can see — a lock set, moved or dropped — instead of every statement.
 *
 * The credential cache (`credentials/credential-cache.ts`) keeps each lookup's throttle locks, not
 * its failure counts. Migration 0007's statement-level trigger fired on every write to the table,
 * and every password, device-code and upstream-token check writes it (the attempt is counted before
 * the check and taken back after a success), as does every wrong application secret: each such
 * check made every replica forget every cached application. Counting is now silent: rows are
 * inserted unlocked (`locked_until` 0), and updates that leave `locked_until` alone fire nothing.
 * Deleting a row that never held a lock changes nothing a check reads either (no row and an
 * unlocked row mean the same).
 *
 * @example
 * ```ts
 * const migrations = { '0008-throttle-lock-notify': throttleLockNotify(dialect) }
 * ```
 */
export function throttleLockNotify(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`drop trigger auth_throttle_credentials_changed on auth_throttle`.execute(db);
      const triggers: Array<[string, string]> = [
        [
          'auth_throttle_lock_inserted',
          'after insert on auth_throttle for each row when (new.locked_until <> 0)',
        ],
        [
          'auth_throttle_lock_changed',
          'after update of locked_until on auth_throttle for each row when (old.locked_until is distinct from new.locked_until)',
        ],
        [
          'auth_throttle_lock_deleted',
          'after delete on auth_throttle for each row when (old.locked_until <> 0)',
        ],
        ['auth_throttle_truncated', 'after truncate on auth_throttle for each statement'],
      ];
      // One notification per transaction however many rows fire: PostgreSQL folds identical ones.
      for (const [name, when] of triggers)
        await sql`create trigger ${sql.id(name)} ${sql.raw(when)} execute function tessera_credentials_changed()`.execute(
          db,
        );
    },
  };
}
