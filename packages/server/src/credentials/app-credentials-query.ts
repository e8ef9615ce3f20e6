import type { ExpressionBuilder, JoinBuilder } from 'kysely';
import { preparedQuery } from '../store/prepared-query.js';
import type { Database } from '../store/schema.js';

interface AppQuery {
  tenantId: number;
  identifier: string;
  now: number;
}

/** The application named by its name or client id, and its live secrets (a left join, so an application without a secret still comes back and fails as wrong_secret). */
type AppJoin = JoinBuilder<
  Database & { a: Database['applications'] } & { s: Database['credential_secrets'] },
  'a' | 's'
>;

const liveSecretOf = (now: number) => (join: AppJoin) =>
  join
    .onRef('s.owner_id', '=', 'a.id')
    .on('s.owner_type', '=', 'app')
    .on((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', now)]));

const namedBy = (p: AppQuery) => (eb: ExpressionBuilder<Database & { a: Database['applications'] }, 'a'>) =>
  eb.and([
    eb('a.tenant_id', '=', p.tenantId),
    eb.or([eb('a.name', '=', p.identifier), eb('a.client_id', '=', p.identifier)]),
  ]);

/**
 * The application `identifier` names (its name or client id) with its live secrets: one row per
 * secret, one row with a null hash when it has none, no row when there is no such application. Each
 * secret comes with its expiry, so that rows kept for a while (`credentials/credential-cache.ts`)
 * can tell when it stops being live.
 *
 * @example
 * ```ts
 * const rows = await appWithSecrets(db, { tenantId: 1, identifier: 'ci', now: Date.now() })
 * ```
 */
export const appWithSecrets = preparedQuery((db, p: AppQuery) =>
  db
    .selectFrom('applications as a')
    .leftJoin('credential_secrets as s', liveSecretOf(p.now))
    .select(['a.id', 'a.name', 'a.client_id', 'a.enabled', 'a.tenant_id', 's.secret_hash', 's.expires_at'])
    .where(namedBy(p)),
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
    .leftJoin('applications as a', (join) => join.on(namedBy(p)))
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
