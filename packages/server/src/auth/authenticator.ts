import {
  ACCESS_KEY_PREFIX,
  createTokenVerifier,
  GuardError,
  issuedAtMs,
  type AccessTokenClaims,
  type RuleGrant,
  type TokenVerifier,
} from '@tessera/guard';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Context } from '../context.js';
import { resolveTenant } from '../tenancy/resolve.js';
import { isJtiRevoked } from '../oauth/bearer.js';
import { preparedQuery } from '../store/prepared-query.js';
import type { Principal } from './principal.js';

/**
 * Turns an `Authorization` header into a {@link Principal}, or throws a GuardError (401). With the
 * request's `Host`, a token of another tenant than the host's is refused.
 */
export type Authenticator = (header: string | undefined, host?: string) => Promise<Principal>;

const RELOAD_INTERVAL_MS = 5_000;

/**
 * The control plane's authenticator: the guard's verifier (the same code every cluster runs) over
 * the key ring, then a store lookup that makes disabling, deleting, secret rotation and logout take
 * effect on the very next request, on every replica.
 *
 * @example
 * ```ts
 * const authenticate = createAuthenticator(ctx)
 * const principal = await authenticate(request.headers.authorization)
 * ```
 */
export function createAuthenticator(ctx: Context): Authenticator {
  // Built on first use: with PORT=0 the issuer is only known once the server is listening.
  let verifier: TokenVerifier | undefined;
  return async (header, host) => {
    verifier ??= createTokenVerifier({
      issuer: ctx.issuer(),
      audience: ctx.config.tokenAudience,
      keys: keysFromRing(ctx),
      algorithms: ['ES256', 'RS256', 'EdDSA'],
    });
    const claims = await verifier.verifyHeader(header);
    if (host !== undefined && (await resolveTenant(ctx.store.db, host)) !== claims.tenant_id)
      throw new GuardError('TOKEN_INVALID', 'token was issued for another tenant');
    if (await isJtiRevoked(ctx, claims.jti)) throw new GuardError('TOKEN_REVOKED', 'token has been revoked');
    const subject = await loadSubject(ctx, claims);
    if (!subject) throw new GuardError('TOKEN_REVOKED', 'token has been revoked');
    return { claims, ...subject };
  };
}

/**
 * Keys from the ring; an unknown `kid` (another replica rotated) triggers a rate-limited reload.
 *
 * @example
 * ```ts
 * createTokenVerifier({ issuer, audience, keys: keysFromRing(ctx) })
 * ```
 */
export function keysFromRing(ctx: Context): JWTVerifyGetKey {
  let published = ctx.keys.jwks();
  let local = createLocalJWKSet(published);
  let lastReload = 0;
  return async (header, token) => {
    const known = ctx.keys.jwks().keys.some((k) => k.kid === header.kid);
    if (!known && Date.now() - lastReload > RELOAD_INTERVAL_MS) {
      lastReload = Date.now();
      await ctx.keys.reload();
    }
    if (ctx.keys.jwks() !== published) {
      published = ctx.keys.jwks();
      local = createLocalJWKSet(published);
    }
    return local(header, token);
  };
}

async function loadSubject(
  ctx: Context,
  claims: AccessTokenClaims,
): Promise<Omit<Principal, 'claims'> | undefined> {
  const db = ctx.store.db;
  const issuedAt = issuedAtMs(claims);
  const tenantId = claims.tenant_id;
  if (claims.subject_type === 'app') {
    const [app] = await appById(db, { id: claims.sub, tenantId });
    if (!app || !app.enabled || issuedAt < app.tokens_valid_after) return undefined;
    return {
      tenantId,
      subjectType: 'app',
      ruleSubjectId: app.id,
      displayName: app.name,
      rules: await rulesFor(ctx, tenantId, 'app', [app.id]),
    };
  }
  if (claims.subject_type === 'user') {
    const [user] = await userById(db, { id: claims.sub, tenantId });
    if (!user || !user.enabled || issuedAt < user.tokens_valid_after) return undefined;
    if (!(await accessKeyStillValid(ctx, claims, user.id, issuedAt))) return undefined;
    return {
      mustChangePassword: user.must_change_password === 1,
      tenantId,
      subjectType: 'user',
      ruleSubjectId: user.email,
      displayName: user.email,
      // Rules on the groups the user's identity provider last reported apply too (as on clusters,
      // where the guard reads them from the token's `groups`).
      rules: [
        ...(await rulesFor(ctx, tenantId, 'user', [user.email])),
        ...(await groupRules(ctx, tenantId, JSON.parse(user.groups) as string[])),
      ],
    };
  }
  if (claims.subject_type === 'service-account') {
    const [account] = await serviceAccountById(db, { id: claims.sub, tenantId });
    if (!account || !account.enabled || issuedAt < account.tokens_valid_after) return undefined;
    return {
      tenantId,
      subjectType: 'service-account',
      ruleSubjectId: account.id,
      displayName: account.name,
      rules: await rulesFor(ctx, tenantId, 'service-account', [account.id]),
    };
  }
  return undefined;
}

/**
 * A user token minted from an access key (its `client_id` is the key's) dies with the key: deleting
 * or regenerating it revokes the tokens it minted. Password and browser tokens use `runai`.
 */
async function accessKeyStillValid(
  ctx: Context,
  claims: AccessTokenClaims,
  userId: string,
  issuedAt: number,
) {
  if (claims.client_id === 'runai' || claims.client_id === claims.sub) return true;
  const [key] = await accessKeyByClientId(ctx.store.db, { clientId: claims.client_id });
  if (!key) return !claims.client_id.startsWith(ACCESS_KEY_PREFIX);
  return key.user_id === userId && issuedAt >= key.tokens_valid_after;
}

async function groupRules(ctx: Context, tenantId: number, groups: string[]): Promise<RuleGrant[]> {
  return groups.length ? rulesFor(ctx, tenantId, 'group', groups) : [];
}

/** Who an access rule names (`access_rules.subject_type`). */
type RuleSubjectType = 'app' | 'user' | 'service-account' | 'group';

async function rulesFor(
  ctx: Context,
  tenantId: number,
  subjectType: RuleSubjectType,
  ids: string[],
): Promise<RuleGrant[]> {
  const [only] = ids;
  const rows =
    ids.length === 1 && only !== undefined
      ? await rulesOfSubject(ctx.store.db, { tenantId, subjectType, subjectId: only })
      : await ctx.store.db
          .selectFrom('access_rules')
          .select(RULE_COLUMNS)
          .where('tenant_id', '=', tenantId)
          .where('subject_type', '=', subjectType)
          .where('subject_id', 'in', ids)
          .execute();
  return rows.map((r) => ({ roleId: r.role_id, scopeType: r.scope_type, scopeId: r.scope_id }));
}

// Every authenticated request runs these (the Administrator API, introspection, userinfo): built and
// compiled once, and on SQLite run straight on the connection, where Kysely's building, compiling and
// connection lock cost more than the lookups themselves (bench/README.md, twenty-eighth session).

const appById = preparedQuery((db, p: { id: string; tenantId: number }) =>
  db
    .selectFrom('applications')
    .select(['id', 'name', 'enabled', 'tokens_valid_after'])
    .where('id', '=', p.id)
    .where('tenant_id', '=', p.tenantId),
);

const userById = preparedQuery((db, p: { id: string; tenantId: number }) =>
  db
    .selectFrom('users')
    .select(['id', 'email', 'enabled', 'tokens_valid_after', 'must_change_password', 'groups'])
    .where('id', '=', p.id)
    .where('tenant_id', '=', p.tenantId),
);

const serviceAccountById = preparedQuery((db, p: { id: string; tenantId: number }) =>
  db
    .selectFrom('service_accounts')
    .select(['id', 'name', 'enabled', 'tokens_valid_after'])
    .where('id', '=', p.id)
    .where('tenant_id', '=', p.tenantId),
);

const accessKeyByClientId = preparedQuery((db, p: { clientId: string }) =>
  db.selectFrom('access_keys').select(['user_id', 'tokens_valid_after']).where('client_id', '=', p.clientId),
);

const RULE_COLUMNS = ['role_id', 'scope_type', 'scope_id'] as const;

/** One subject's rules; a list of subjects (a user's groups) goes through Kysely's `in`. */
const rulesOfSubject = preparedQuery(
  (db, p: { tenantId: number; subjectType: RuleSubjectType; subjectId: string }) =>
    db
      .selectFrom('access_rules')
      .select(RULE_COLUMNS)
      .where('tenant_id', '=', p.tenantId)
      .where('subject_type', '=', p.subjectType)
      .where('subject_id', '=', p.subjectId),
);
