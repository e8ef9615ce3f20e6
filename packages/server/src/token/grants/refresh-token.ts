import { recordAudit } from '../../audit/audit-log.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { findRefreshToken, revokeFamily } from '../refresh-tokens.js';
import { loadUserSubject, parseScope } from '../subjects.js';

/**
 * `refresh_token` (v1 `refreshToken` + `clientID`; v2 `refresh_token` with client authentication).
 * Every use rotates the token; presenting a rotated one again revokes its whole family and writes
 * an audit event. A token is only good for the client it was issued to.
 *
 * @example
 * ```ts
 * const outcome = await refreshTokenGrant(ctx, { fields: { refreshtoken, clientid: 'runai' }, tenantId, sourceIp, issuer })
 * ```
 */
export const refreshTokenGrant: GrantHandler = async (
  ctx,
  { fields, tenantId, client, scope, sourceIp, issuer },
) => {
  const presented = requireField(fields, 'refreshtoken', client ? 'refresh_token' : 'refreshToken');
  const clientId = client?.clientId ?? requireField(fields, 'clientid', 'clientID');
  const row = await findRefreshToken(ctx.store.db, ctx.master.pepper, presented);
  const fail = (reason: string) => ({
    ok: false as const,
    reason,
    subjectType: row?.subject_type ?? 'user',
    subjectId: row?.subject_id,
  });
  if (!row || row.tenant_id !== tenantId) return fail('unknown_refresh_token');
  if (row.client_id !== clientId) return fail('refresh_token_client_mismatch');
  if (row.revoked_at !== null) return fail('refresh_token_revoked');
  if (row.used_at !== null) {
    await ctx.store.db.transaction().execute(async (trx) => {
      await revokeFamily(trx, row.family_id);
      await recordAudit(trx, {
        tenantId,
        actor: { type: row.subject_type, id: row.subject_id },
        action: 'token.refresh_reuse',
        resource: { type: 'refresh-token-family', id: row.family_id },
        result: 'failure',
        reason: 'rotated refresh token presented again; family revoked',
        sourceIp,
      });
    });
    return fail('refresh_token_reused');
  }
  if (row.expires_at <= Date.now()) return fail('refresh_token_expired');
  const granted = row.scope.split(' ').filter(Boolean);
  const requested = scope ?? parseScope(fields.scope);
  if (requested && requested.some((s) => !granted.includes(s))) {
    return Object.assign(fail('scope_widened'), { error: 'invalid_scope' as const });
  }
  if (row.subject_type !== 'user') return fail('unsupported_subject');
  const subject = await loadUserSubject(ctx, tenantId, row.subject_id, row.created_at);
  if (!subject) return fail('subject_disabled_or_revoked');
  return {
    ok: true,
    subject,
    subjectName: subject.email ?? subject.id,
    tokenOptions: {
      clientId,
      scope: requested ?? granted,
      // The ID token names the issuer whose token endpoint was used (kubeconfigs may name the realm form).
      issuer,
      authTime: row.auth_time,
      rotateFrom: { id: row.id, familyId: row.family_id },
    },
  };
};
