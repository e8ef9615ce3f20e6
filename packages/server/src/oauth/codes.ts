import { createHash } from 'node:crypto';
import type { Context } from '../context.js';
import { generateSecret, hashSecret } from '../crypto/secrets.js';
import type { AuthorizationCodeTable } from '../store/schema.js';

/** Authorization codes live one minute (RFC 6749 recommends at most ten). */
export const CODE_TTL_MS = 60_000;

/**
 * Stores a new authorization code (its HMAC only) and returns it.
 *
 * @example
 * ```ts
 * const code = await createCode(ctx, { tenantId, clientId, redirectUri, userId, scope, issuer, authTime })
 * ```
 */
export async function createCode(
  ctx: Context,
  grant: {
    tenantId: number;
    clientId: string;
    redirectUri: string;
    userId: string;
    scope: string[];
    nonce?: string;
    codeChallenge?: string;
    issuer: string;
    authTime: number;
  },
  now = Date.now(),
): Promise<string> {
  const code = generateSecret();
  await ctx.store.db
    .insertInto('oauth_codes')
    .values({
      code_hash: hashSecret(ctx.master.pepper, code),
      tenant_id: grant.tenantId,
      client_id: grant.clientId,
      redirect_uri: grant.redirectUri,
      user_id: grant.userId,
      scope: grant.scope.join(' '),
      nonce: grant.nonce ?? null,
      code_challenge: grant.codeChallenge ?? null,
      issuer: grant.issuer,
      auth_time: grant.authTime,
      created_at: now,
      expires_at: now + CODE_TTL_MS,
      used_at: null,
    })
    .execute();
  return code;
}

/**
 * S256 of a PKCE verifier (RFC 7636 §4.2).
 *
 * @example
 * ```ts
 * s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Redeems a code exactly once. The code is burnt before anything else is checked, so a replayed,
 * misdirected or wrongly verified code never yields a token. Returns the row or why not.
 *
 * @example
 * ```ts
 * const redeemed = await redeemCode(ctx, { code, clientId: 'runai', redirectUri, verifier, publicClient: true })
 * ```
 */
export async function redeemCode(
  ctx: Context,
  input: {
    code: string;
    clientId: string;
    redirectUri: string | undefined;
    verifier: string | undefined;
    publicClient: boolean;
  },
  now = Date.now(),
): Promise<
  { ok: true; row: AuthorizationCodeTable } | { ok: false; reason: string; row?: AuthorizationCodeTable }
> {
  const db = ctx.store.db;
  const hash = hashSecret(ctx.master.pepper, input.code);
  const row = await db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown_code' };
  const burnt = await db
    .updateTable('oauth_codes')
    .set({ used_at: now })
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(burnt.numUpdatedRows) !== 1) return { ok: false, reason: 'code_replayed', row };
  if (row.expires_at <= now) return { ok: false, reason: 'code_expired', row };
  if (row.client_id !== input.clientId) return { ok: false, reason: 'code_client_mismatch', row };
  if (row.redirect_uri !== input.redirectUri) return { ok: false, reason: 'redirect_uri_mismatch', row };
  if (row.code_challenge === null) {
    if (input.publicClient) return { ok: false, reason: 'pkce_required', row };
    if (input.verifier !== undefined) return { ok: false, reason: 'unexpected_code_verifier', row };
  } else {
    if (!input.verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(input.verifier)) {
      return { ok: false, reason: 'code_verifier_missing_or_malformed', row };
    }
    if (s256(input.verifier) !== row.code_challenge)
      return { ok: false, reason: 'code_verifier_mismatch', row };
  }
  return { ok: true, row };
}
