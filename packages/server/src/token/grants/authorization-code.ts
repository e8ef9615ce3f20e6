import { redeemCode } from '../../oauth/codes.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { loadUserSubject } from '../subjects.js';

/**
 * The authorization-code exchange shared by v2 `authorization_code` and v1 `exchange_token`:
 * code, exact redirect URI, PKCE S256 verifier (required for public clients), same client.
 *
 * @example
 * ```ts
 * const outcome = await authorizationCodeGrant(ctx, { fields, tenantId, sourceIp, issuer, client })
 * ```
 */
export const authorizationCodeGrant: GrantHandler = async (ctx, { fields, tenantId, client }) => {
  const code = requireField(fields, 'code', 'code');
  const clientId = client?.clientId ?? requireField(fields, 'clientid', 'clientID');
  const publicClient = client ? client.public : true;
  const redeemed = await redeemCode(ctx, {
    code,
    clientId,
    redirectUri: fields.redirecturi,
    verifier: fields.codeverifier,
    publicClient,
  });
  if (!redeemed.ok) {
    return { ok: false, reason: redeemed.reason, subjectType: 'user', subjectId: redeemed.row?.user_id };
  }
  const row = redeemed.row;
  if (row.tenant_id !== tenantId) return { ok: false, reason: 'unknown_code', subjectType: 'user' };
  const subject = await loadUserSubject(ctx, tenantId, row.user_id, row.auth_time);
  if (!subject)
    return { ok: false, reason: 'subject_disabled_or_revoked', subjectType: 'user', subjectId: row.user_id };
  return {
    ok: true,
    subject,
    subjectName: subject.email ?? subject.id,
    tokenOptions: {
      clientId,
      scope: row.scope.split(' ').filter(Boolean),
      issuer: row.issuer,
      nonce: row.nonce ?? undefined,
      authTime: row.auth_time,
    },
    lastLogin: { table: 'users', id: subject.id },
  };
};
