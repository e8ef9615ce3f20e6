import type { Kysely, Transaction } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { generateSecret, hashSecret } from '../crypto/secrets.js';
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
  await db
    .insertInto('oauth_refresh_tokens')
    .values({
      id: uuidv4(),
      token_hash: hashSecret(pepper, token),
      family_id: binding.familyId ?? uuidv4(),
      tenant_id: binding.tenantId,
      client_id: binding.clientId,
      subject_type: binding.subjectType,
      subject_id: binding.subjectId,
      scope: binding.scope.join(' '),
      issuer: binding.issuer,
      auth_time: binding.authTime,
      created_at: now,
      expires_at: now + binding.ttlSec * 1000,
      used_at: null,
      revoked_at: null,
    })
    .execute();
  return token;
}

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
