import type { JWTPayload } from 'jose';
import { v4 as uuidv4 } from 'uuid';
import { recordAudit } from '../audit/audit-log.js';
import type { Context } from '../context.js';
import { publishSubject } from '../feed/publish.js';
import type { IdentityProvider } from './model.js';
import { UpstreamError } from './upstream.js';

/** The Tessera user an upstream identity maps to. */
export interface MappedUser {
  id: string;
  email: string;
  name: string | null;
  groups: string[];
  /** True when this sign-in created the user. */
  created: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A claim by name; a dotted name reads nested objects (`realm_access.roles`). */
function claim(claims: JWTPayload, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let node: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Maps verified upstream claims to a user of the provider's tenant: the mandatory claim must hold
 * one of its values, the email comes from the `email` mapper's claim (default `email`) and must not
 * be flagged unverified (`email_verified: false`), groups from
 * the `groups` mapper's claim when one is set. A user is found by email or created just in time
 * (no password, no roles; audited). A disabled user is refused. Throws {@link UpstreamError}.
 *
 * @example
 * ```ts
 * const user = await mapIdentity(ctx, idp, claims, request.ip)
 * ```
 */
export async function mapIdentity(
  ctx: Context,
  idp: IdentityProvider,
  claims: JWTPayload,
  sourceIp: string,
): Promise<MappedUser> {
  const mandatory = idp.oidc.mandatoryClaim;
  if (mandatory) {
    const value = claim(claims, mandatory.claim);
    const held = (Array.isArray(value) ? value : [value]).map(String);
    if (!held.some((v) => mandatory.values.includes(v)))
      throw new UpstreamError('Your account is not allowed to sign in here.', 'mandatory_claim_missing');
  }
  const rawEmail = claim(claims, idp.mappers.email ?? 'email');
  if (typeof rawEmail !== 'string' || !EMAIL.test(rawEmail) || rawEmail.length > 254)
    throw new UpstreamError('The identity provider did not send an email address.', 'email_claim_missing');
  // Users are matched by email, so an address the provider itself has not verified must not sign
  // anyone in (it could name another user's account).
  if (claims.email_verified === false || claims.email_verified === 'false')
    throw new UpstreamError(
      'The identity provider has not verified your email address.',
      'email_not_verified',
    );
  const email = rawEmail.trim().toLowerCase();
  const rawGroups = idp.mappers.groups ? claim(claims, idp.mappers.groups) : undefined;
  const groups = (Array.isArray(rawGroups) ? rawGroups : typeof rawGroups === 'string' ? [rawGroups] : [])
    .filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 256)
    .slice(0, 200);
  const name = typeof claims.name === 'string' ? claims.name.slice(0, 256) : null;
  return ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('users')
      .select(['id', 'email', 'name', 'enabled'])
      .where('tenant_id', '=', idp.tenantId)
      .where('email', '=', email)
      .executeTakeFirst();
    const now = Date.now();
    if (existing) {
      if (!existing.enabled) throw new UpstreamError('Your account is disabled.', `disabled:${existing.id}`);
      if (idp.mappers.groups) {
        await trx
          .updateTable('users')
          .set({ groups: JSON.stringify(groups) })
          .where('id', '=', existing.id)
          .execute();
      }
      return { id: existing.id, email, name: existing.name, groups, created: false };
    }
    const id = uuidv4();
    await trx
      .insertInto('users')
      .values({
        id,
        tenant_id: idp.tenantId,
        email,
        name,
        // No password: an empty hash never verifies, so this user signs in through the provider only.
        password_hash: '',
        must_change_password: 0,
        enabled: 1,
        tokens_valid_after: 0,
        last_login: null,
        created_by: `idp:${idp.alias}`,
        created_at: now,
        updated_at: now,
        idp_alias: idp.alias,
        groups: JSON.stringify(groups),
      })
      .execute();
    await publishSubject(trx, idp.tenantId, 'user', id);
    await recordAudit(trx, {
      tenantId: idp.tenantId,
      actor: { type: 'idp', id: idp.alias, name: idp.alias },
      action: 'create',
      resource: { type: 'users', id, name: email },
      result: 'success',
      reason: 'just_in_time',
      sourceIp,
      details: { sub: String(claims.sub) },
    });
    return { id, email, name, groups, created: true };
  });
}
