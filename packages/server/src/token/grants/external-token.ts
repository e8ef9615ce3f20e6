import { decodeJwt } from 'jose';
import { mapIdentity } from '../../idps/identity.js';
import type { IdentityProvider } from '../../idps/model.js';
import { listIdps, toProvider } from '../../idps/repository.js';
import { discover, UpstreamError, verifyUpstreamToken } from '../../idps/upstream.js';
import { CLI_CLIENT_ID } from '../../oauth/clients.js';
import { throttledSecret } from '../../oauth/throttle-secret.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';

/** What Run:ai's CLI receives from a v1 user sign-in: ID and refresh tokens too. */
const V1_USER_SCOPE = ['openid', 'email', 'offline_access'];

/**
 * The tenant's provider whose discovered issuer is `iss` (providers that cannot be reached are
 * skipped). Providers whose discovery URL lies under `iss` are asked first, so a dead provider
 * elsewhere does not slow every exchange down.
 */
async function providerFor(
  ctx: Parameters<GrantHandler>[0],
  tenantId: number,
  iss: string,
): Promise<IdentityProvider | undefined> {
  const providers = (await listIdps(ctx.store.db, tenantId)).map((row) => toProvider(row, ctx.master));
  const likely = (idp: IdentityProvider) => (idp.oidc.discoverDocumentUrl.startsWith(iss) ? 0 : 1);
  for (const idp of providers.sort((a, b) => likely(a) - likely(b))) {
    const issuer = await discover(idp).then(
      (d) => d.issuer,
      () => undefined,
    );
    if (issuer === iss) return idp;
  }
  return undefined;
}

/**
 * `grantType: external_token_exchange` — `externalToken`, an ID token (or JWT access token whose
 * audience is our client id) from one of the tenant's identity providers: verified against that
 * provider's JWKS (issuer, audience = its clientId, expiry), mapped to a user by the broker's rules
 * (just in time if new), answered with our tokens. Failures are throttled per (issuer, address).
 *
 * @example
 * ```ts
 * const outcome = await externalTokenGrant(ctx, { fields: { externaltoken }, tenantId, sourceIp, issuer })
 * ```
 */
export const externalTokenGrant: GrantHandler = async (ctx, { fields, tenantId, sourceIp, issuer }) => {
  const token = requireField(fields, 'externaltoken', 'externalToken');
  let iss = '';
  try {
    iss = String(decodeJwt(token).iss ?? '');
  } catch {
    // Not a JWT: refused below as an unknown issuer, and counted like any failure.
  }
  const result = await throttledSecret(
    ctx,
    tenantId,
    { kind: 'external', account: iss.slice(0, 256), address: sourceIp },
    async () => {
      const idp = iss ? await providerFor(ctx, tenantId, iss) : undefined;
      if (!idp) return { ok: false as const, reason: iss ? 'unknown_issuer' : 'malformed_token' };
      try {
        const claims = await verifyUpstreamToken(idp, token);
        return { ok: true as const, value: await mapIdentity(ctx, idp, claims, sourceIp) };
      } catch (err) {
        if (err instanceof UpstreamError) return { ok: false as const, reason: err.reason };
        throw err;
      }
    },
  );
  if (!result.ok) {
    const [reason, id] = result.reason.split(':');
    return {
      ok: false,
      reason: reason as string,
      subjectType: 'user',
      subjectId: id,
      subjectName: iss.slice(0, 256),
    };
  }
  const user = result.value;
  return {
    ok: true,
    subject: {
      id: user.id,
      type: 'user',
      tenantId,
      clientId: CLI_CLIENT_ID,
      email: user.email,
      name: user.name ?? user.email,
      groups: user.groups,
    },
    subjectName: user.email,
    tokenOptions: { clientId: CLI_CLIENT_ID, scope: V1_USER_SCOPE, issuer },
    lastLogin: { table: 'users', id: user.id },
  };
};
