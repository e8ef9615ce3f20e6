import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Upstream identity providers (`/api/v1/idps`), one row per (tenant, alias). The OIDC client secret
 * is needed in clear to call the upstream token endpoint, so it is sealed under the master key
 * (AES-256-GCM, like signing keys) rather than hashed. Users gain the alias of the provider that
 * created them just in time (null for local users) and the groups it last reported.
 *
 * @example
 * ```ts
 * const migrations = { '0006-idps': idps(dialect) }
 * ```
 */
export function idps(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('identity_providers')
        .addColumn('tenant_id', 'integer', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('mappers', 'text', (c) => c.notNull())
        .addColumn('client_secret_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_providers_pk', ['tenant_id', 'alias'])
        .execute();
      await db.schema.alterTable('users').addColumn('idp_alias', 'text').execute();
      await db.schema
        .alterTable('users')
        .addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
    },
  };
}
