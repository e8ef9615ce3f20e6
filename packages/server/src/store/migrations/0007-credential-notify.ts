import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** The PostgreSQL channel on which a committed change to credentials is announced (no payload). */
export const CREDENTIALS_CHANNEL = 'tessera_credentials';

/**
 * PostgreSQL: every committed change to what a credential check reads — applications (but for their
 * `last_login`), secrets, throttle rows — is announced on `tessera_credentials`, by statement-level
 * triggers (on `auth_throttle`, since migration 0008, row triggers that fire only on a lock change),
 * so that each replica's credential cache (`credentials/credential-cache.ts`) forgets what it holds.
 * Triggers rather than a call at each write: no writer can forget, whether it is Tessera's code,
 * another version of it during a rolling upgrade, or an operator's SQL. PostgreSQL delivers the
 * notification only if the transaction commits, once per transaction.
 *
 * SQLite needs nothing: its file is never shared between processes, and the one process sees its own
 * writes (`store/credential-writes.ts`).
 *
 * @example
 * ```ts
 * const migrations = { '0007-credential-notify': credentialNotify(dialect) }
 * ```
 */
export function credentialNotify(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`
        create function tessera_credentials_changed() returns trigger language plpgsql as $$
        begin
          perform pg_notify(${sql.lit(CREDENTIALS_CHANNEL)}, '');
          return null;
        end $$
      `.execute(db);
      const triggers: Array<[string, string]> = [
        ['applications', 'insert or delete or truncate or update of id, tenant_id, name, client_id, enabled'],
        ['credential_secrets', 'insert or update or delete or truncate'],
        ['auth_throttle', 'insert or update or delete or truncate'],
      ];
      for (const [table, events] of triggers)
        await sql`
          create trigger ${sql.id(`${table}_credentials_changed`)} after ${sql.raw(events)} on ${sql.table(table)}
          for each statement execute function tessera_credentials_changed()
        `.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`drop function if exists tessera_credentials_changed() cascade`.execute(db);
    },
  };
}
