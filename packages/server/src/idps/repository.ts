import type { Kysely, Selectable } from 'kysely';
import type { MasterKey } from '../crypto/master-key.js';
import type { Database, IdentityProviderTable } from '../store/schema.js';
import { MASKED_SECRET, redirectUri, type IdentityProvider, type Mappers, type OidcConfig } from './model.js';

type Row = Selectable<IdentityProviderTable>;

/**
 * A stored provider with its secret opened, for the relying-party code (never for an answer).
 *
 * @example
 * ```ts
 * const idp = toProvider(row, ctx.master)
 * ```
 */
export function toProvider(row: Row, master: MasterKey): IdentityProvider {
  return {
    tenantId: row.tenant_id,
    alias: row.alias,
    type: 'oidc',
    oidc: JSON.parse(row.config) as OidcConfig,
    clientSecret: master.open(row.client_secret_enc),
    mappers: JSON.parse(row.mappers) as Mappers,
  };
}

/**
 * The spec's `Idp` answer for a row: the secret masked, `redirectUri` under `issuer`.
 *
 * @example
 * ```ts
 * present(row, ctx.issuer()).oidcData.clientSecret // '*******'
 * ```
 */
export function present(row: Row, issuer: string) {
  const oidc = JSON.parse(row.config) as OidcConfig;
  return {
    alias: row.alias,
    type: row.type,
    redirectUri: redirectUri(issuer, row.alias),
    oidcData: {
      clientId: oidc.clientId,
      clientSecret: MASKED_SECRET,
      discoverDocumentUrl: oidc.discoverDocumentUrl,
      scopes: oidc.scopes,
      ...(oidc.mandatoryClaim ? { mandatoryClaim: oidc.mandatoryClaim } : {}),
    },
    mappers: presentMappers(row),
  };
}

/**
 * The spec's `Mappers` answer (its schema requires `alias`).
 *
 * @example
 * ```ts
 * presentMappers(row) // { alias: 'oidc', email: 'email' }
 * ```
 */
export function presentMappers(row: Row): Mappers & { alias: string } {
  return { alias: row.alias, ...(JSON.parse(row.mappers) as Mappers) };
}

/**
 * The tenant's providers, by alias.
 *
 * @example
 * ```ts
 * const rows = await listIdps(db, tenantId)
 * ```
 */
export function listIdps(db: Kysely<Database>, tenantId: number): Promise<Row[]> {
  return db
    .selectFrom('identity_providers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('alias')
    .execute();
}

/**
 * One provider of the tenant, or undefined.
 *
 * @example
 * ```ts
 * const row = await findIdp(db, tenantId, 'oidc')
 * ```
 */
export function findIdp(db: Kysely<Database>, tenantId: number, alias: string): Promise<Row | undefined> {
  return db
    .selectFrom('identity_providers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('alias', '=', alias)
    .executeTakeFirst();
}

/**
 * The provider behind an alias with its secret opened, or undefined (unknown alias).
 *
 * @example
 * ```ts
 * const idp = await loadProvider(ctx.store.db, ctx.master, tenantId, 'oidc')
 * ```
 */
export async function loadProvider(
  db: Kysely<Database>,
  master: MasterKey,
  tenantId: number,
  alias: string,
): Promise<IdentityProvider | undefined> {
  const row = await findIdp(db, tenantId, alias);
  return row ? toProvider(row, master) : undefined;
}
