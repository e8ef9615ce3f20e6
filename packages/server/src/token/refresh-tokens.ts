import type { Kysely, Transaction } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { generateSecret, hashSecret } from '../crypto/secrets.js';
import { preparedQuery } from '../store/prepared-query.js';
import type { Database, RefreshTokenTable } from '../store/schema.js';

/** What a new refresh token is bound to. */
export interface RefreshBinding {
  tenantId: number;
  clientId: string;
  subjectType: string;
  subjectId: string;
  scope: string[];
  issuer: string;
  authTime: number;
  /** Continue this family (rotation); a new family otherwise. */
  familyId?: string;
  ttlSec: number;
}

/**
 * Stores a new refresh token (only its HMAC) and returns the token. Refresh tokens are opaque:
 * 256 random bits, base64url.
 *
 * @example
 * ```ts
 * const token = await storeRefreshToken(trx, pepper, binding)
 * ```
 */
export async function storeRefreshToken(
  db: Kysely<Database> | Transaction<Database>,
  pepper: Buffer,
  binding: RefreshBinding,
  now = Date.now(),
): Promise<string> {
  const token = generateSecret();
  await insertRefreshToken(db, {
    id: uuidv4(),
    tokenHash: hashSecret(pepper, token),
    familyId: binding.familyId ?? uuidv4(),
    tenantId: binding.tenantId,
    clientId: binding.clientId,
    subjectType: binding.subjectType,
    subjectId: binding.subjectId,
    scope: binding.scope.join(' '),
    issuer: binding.issuer,
    authTime: binding.authTime,
    createdAt: now,
    expiresAt: now + binding.ttlSec * 1000,
  });
  return token;
}

// Every password grant asking for `offline_access` runs it: built and compiled once per store.
const insertRefreshToken = preparedQuery(
  (
    db,
    p: {
      id: string;
      tokenHash: string;
      familyId: string;
      tenantId: number;
      clientId: string;
      subjectType: string;
      subjectId: string;
      scope: string;
      issuer: string;
      authTime: number;
      createdAt: number;
      expiresAt: number;
    },
  ) =>
    db.insertInto('oauth_refresh_tokens').values({
      id: p.id,
      token_hash: p.tokenHash,
      family_id: p.familyId,
      tenant_id: p.tenantId,
      client_id: p.clientId,
      subject_type: p.subjectType,
      subject_id: p.subjectId,
      scope: p.scope,
      issuer: p.issuer,
      auth_time: p.authTime,
      created_at: p.createdAt,
      expires_at: p.expiresAt,
      used_at: null,
      revoked_at: null,
    }),
);

/**
 * The stored row of a presented refresh token, if any.
 *
 * @example
 * ```ts
 * const row = await findRefreshToken(db, ctx.master.pepper, presented)
 * ```
 */
export async function findRefreshToken(
  db: Kysely<Database>,
  pepper: Buffer,
  token: string,
): Promise<RefreshTokenTable | undefined> {
  return db
    .selectFrom('oauth_refresh_tokens')
    .selectAll()
    .where('token_hash', '=', hashSecret(pepper, token))
    .executeTakeFirst();
}

/**
 * Revokes every token of a family (reuse detected, logout, RFC 7009 revocation).
 *
 * @example
 * ```ts
 * await revokeFamily(trx, row.family_id)
 * ```
 */
export async function revokeFamily(
  db: Kysely<Database> | Transaction<Database>,
  familyId: string,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('oauth_refresh_tokens')
    .set({ revoked_at: now })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}
