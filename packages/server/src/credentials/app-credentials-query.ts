import { sql, type JoinBuilder, type Kysely } from 'kysely';
import { preparedQuery } from '../store/prepared-query.js';
import type { Database } from '../store/schema.js';

interface AppQuery {
  tenantId: number;
  identifier: string;
  now: number;
}

/** An application's live secrets (a left join, so an application without a secret still comes back and fails as wrong_secret). */
type AppJoin = JoinBuilder<
  Database & { a: Database['applications'] } & { s: Database['credential_secrets'] },
  'a' | 's'
>;

const liveSecretOf = (now: number) => (join: AppJoin) =>
  join
    .onRef('s.owner_id', '=', 'a.id')
    .on('s.owner_type', '=', 'app')
    .on((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', now)]));

/**
 * The application `identifier` names, as a table of at most one row: the application whose client
 * id it is, else the one of that name in the tenant. The client id goes first because Tessera
 * assigns it: a name chosen to equal another application's client id cannot take that application's
 * place (with `name = ? OR client_id = ?` both came back, and the check took whichever came first).
 * The `LIMIT` ends the `UNION ALL` at its first row, so a client id costs one index search and a
 * name two, where the `OR` searched both indexes every time and merged the results. At 100,000
 * applications PostgreSQL's CPU for a lookup alone went from 96–98 to 77–95 µs (batched lookups:
 * `app-lookup-batch.ts`); SQLite's cost in the server did not change (bench/README.md, nineteenth
 * session).
 */
const namedApp = (db: Kysely<Database>, p: AppQuery) =>
  db
    .selectFrom('applications')
    .select(APP_COLUMNS)
    .where('client_id', '=', p.identifier)
    .where('tenant_id', '=', p.tenantId)
    .unionAll(
      db
        .selectFrom('applications')
        .select(APP_COLUMNS)
        .where('tenant_id', '=', p.tenantId)
        .where('name', '=', p.identifier),
    )
    // A literal: with `LIMIT ?` SQLite's lookups took three times as long (39 against 12 µs).
    .limit(sql.lit(1))
    .as('a');

const APP_COLUMNS = ['id', 'name', 'client_id', 'enabled', 'tenant_id'] as const;

/**
 * The application `identifier` names (its client id or its name, {@link namedApp}) with its live
 * secrets: one row per secret, one row with a null hash when it has none, no row when there is no
 * such application. Each secret comes with its expiry, so that rows kept for a while
 * (`credentials/credential-cache.ts`) can tell when it stops being live.
 *
 * @example
 * ```ts
 * const rows = await appWithSecrets(db, { tenantId: 1, identifier: 'ci', now: Date.now() })
 * ```
 */
export const appWithSecrets = preparedQuery((db, p: AppQuery) =>
  db
    .selectFrom(namedApp(db, p))
    .leftJoin('credential_secrets as s', liveSecretOf(p.now))
    .select(['a.id', 'a.name', 'a.client_id', 'a.enabled', 'a.tenant_id', 's.secret_hash', 's.expires_at']),
);

/**
 * {@link appWithSecrets} together with the locks of a secret check's two throttle keys, in one
 * query: always at least one row, whose `pair_lock`/`address_lock` are null for keys without a
 * throttle row and whose application columns are null when there is no such application.
 *
 * @example
 * ```ts
 * const rows = await locksAndApp(db, { pair, address, tenantId: 1, identifier: 'ci', now: Date.now() })
 * ```
 */
export const locksAndApp = preparedQuery((db, p: AppQuery & { pair: string; address: string }) =>
  db
    .selectFrom(
      db
        .selectNoFrom((eb) => [
          eb.selectFrom('auth_throttle').select('locked_until').where('key', '=', p.pair).as('pair_lock'),
          eb
            .selectFrom('auth_throttle')
            .select('locked_until')
            .where('key', '=', p.address)
            .as('address_lock'),
        ])
        .as('t'),
    )
    .leftJoin(namedApp(db, p), (join) => join.onTrue())
    .leftJoin('credential_secrets as s', liveSecretOf(p.now))
    .select([
      't.pair_lock',
      't.address_lock',
      'a.id',
      'a.name',
      'a.client_id',
      'a.enabled',
      'a.tenant_id',
      's.secret_hash',
      's.expires_at',
    ]),
);
