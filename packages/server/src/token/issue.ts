import type { Context } from '../context.js';
import { TesseraError } from '../errors/registry.js';
import { oauthPolicy } from '../oauth/policy.js';
import { mintIdToken } from './id-token.js';
import { mintAccessToken, newTokenId, type TokenSubject } from './mint.js';
import { storeRefreshToken } from './refresh-tokens.js';

/** How a grant wants its tokens: the OAuth/OIDC parts beyond the access token. */
export interface TokenOptions {
  clientId: string;
  scope: string[];
  /** The issuer of the ID token (canonical or a realm variant). */
  issuer: string;
  nonce?: string;
  /** When the user authenticated (epoch ms); now when omitted. */
  authTime?: number;
  /** A refresh token being rotated: marked used in the same transaction that stores its successor. */
  rotateFrom?: { id: string; familyId: string };
}

/** The tokens of one grant. */
export interface IssuedTokens {
  accessToken: string;
  jti: string;
  expiresIn: number;
  idToken?: string;
  refreshToken?: string;
  scope: string[];
}

/**
 * Mints the access token and, for users, the ID token (scope `openid`) and a refresh token (scope
 * `offline_access`, or always when rotating). Rotation and the new refresh token commit together;
 * losing a race to rotate the same token is an invalid grant.
 *
 * `audit(jti)` records the grant. It runs once nothing can refuse the grant any more (after the
 * refresh token's transaction) and **while the tokens are being signed**: a signature waits on
 * libuv's thread pool and the audit on the grant journal's next commit, and one after the other
 * they added up on every request. Answered only when both are done; if the audit fails, no token
 * is returned.
 *
 * @example
 * ```ts
 * const tokens = await issueTokens(ctx, subject, { clientId: 'runai', scope: ['openid'], issuer }, recordGrant)
 * ```
 */
export async function issueTokens(
  ctx: Context,
  subject: TokenSubject,
  options: TokenOptions,
  audit: (jti: string) => Promise<void>,
): Promise<IssuedTokens> {
  const now = Date.now();
  const authTime = options.authTime ?? now;
  // Usually the subject's own client (an application's, a service account's): then no copy at all.
  const forClient: TokenSubject =
    subject.clientId === options.clientId
      ? subject
      : Object.assign({}, subject, { clientId: options.clientId });
  const policy = await oauthPolicy(ctx, subject.tenantId);
  const isUser = subject.type === 'user';
  const refreshToken =
    options.rotateFrom || (isUser && options.scope.includes('offline_access'))
      ? await storeRefreshTokenFor(ctx, subject, options, policy.refreshTokenTtlSec, authTime, now)
      : undefined;
  const jti = newTokenId(now);
  const [minted, idToken] = await Promise.all([
    mintAccessToken(
      ctx.keys,
      {
        issuer: ctx.issuer(),
        audience: ctx.config.tokenAudience,
        ttlSec: policy.accessTokenTtlSec,
        now,
        jti,
      },
      forClient,
    ),
    isUser && options.scope.includes('openid')
      ? mintIdToken(ctx.keys, forClient, {
          issuer: options.issuer,
          clientId: options.clientId,
          ttlSec: policy.accessTokenTtlSec,
          authTime,
          nonce: options.nonce,
          now,
        })
      : undefined,
    audit(jti),
  ]);
  const tokens: IssuedTokens = {
    accessToken: minted.token,
    jti,
    expiresIn: minted.expiresIn,
    scope: options.scope,
  };
  if (idToken !== undefined) tokens.idToken = idToken;
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  return tokens;
}

/**
 * Stores a new refresh token, marking `options.rotateFrom` used in the same transaction. A new
 * family needs no transaction: one insert, one statement (on PostgreSQL one round trip where
 * `BEGIN`, the insert and `COMMIT` were three).
 */
function storeRefreshTokenFor(
  ctx: Context,
  subject: TokenSubject,
  options: TokenOptions,
  ttlSec: number,
  authTime: number,
  now: number,
): Promise<string> {
  const binding = {
    tenantId: subject.tenantId,
    clientId: options.clientId,
    subjectType: subject.type,
    subjectId: subject.id,
    scope: options.scope,
    issuer: options.issuer,
    authTime,
    familyId: options.rotateFrom?.familyId,
    ttlSec,
  };
  const { rotateFrom } = options;
  if (!rotateFrom) return storeRefreshToken(ctx.store.db, ctx.master.pepper, binding, now);
  return ctx.store.db.transaction().execute(async (trx) => {
    const rotated = await trx
      .updateTable('oauth_refresh_tokens')
      .set({ used_at: now })
      .where('id', '=', rotateFrom.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(rotated.numUpdatedRows) !== 1) {
      throw new TesseraError('INVALID_CREDENTIALS', 'refresh token already used');
    }
    return storeRefreshToken(trx, ctx.master.pepper, binding, now);
  });
}
