import { hashSecret } from '../../crypto/secrets.js';
import { DEVICE_POLL_INTERVAL_SEC } from '../../oauth/device.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { loadUserSubject } from '../subjects.js';

/**
 * v2 `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4): pending, slow_down,
 * access_denied, expired_token, or the tokens once the user approved — exactly once.
 *
 * @example
 * ```ts
 * const outcome = await deviceCodeGrant(ctx, { fields: { devicecode }, tenantId, sourceIp, issuer, client })
 * ```
 */
export const deviceCodeGrant: GrantHandler = async (ctx, { fields, tenantId, client }) => {
  const deviceCode = requireField(fields, 'devicecode', 'device_code');
  const clientId = client?.clientId ?? requireField(fields, 'clientid', 'clientID');
  const db = ctx.store.db;
  const hash = hashSecret(ctx.master.pepper, deviceCode);
  const row = await db
    .selectFrom('oauth_device_codes')
    .selectAll()
    .where('device_code_hash', '=', hash)
    .executeTakeFirst();
  const now = Date.now();
  const fail = (
    reason: string,
    error?: 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token',
  ) => ({
    ok: false as const,
    reason,
    subjectType: 'user',
    subjectId: row?.user_id ?? undefined,
    error,
  });
  if (!row || row.tenant_id !== tenantId) return fail('unknown_device_code');
  if (row.client_id !== clientId) return fail('device_code_client_mismatch');
  if (row.expires_at <= now) return fail('device_code_expired', 'expired_token');
  if (row.status === 'denied') return fail('device_code_denied', 'access_denied');
  if (row.status === 'used') return fail('device_code_used');
  if (row.status === 'pending') {
    const tooSoon = row.last_poll_at !== null && now - row.last_poll_at < DEVICE_POLL_INTERVAL_SEC * 1000;
    await db
      .updateTable('oauth_device_codes')
      .set({ last_poll_at: now })
      .where('device_code_hash', '=', hash)
      .execute();
    return tooSoon
      ? fail('polling_too_fast', 'slow_down')
      : fail('authorization_pending', 'authorization_pending');
  }
  const claimed = await db
    .updateTable('oauth_device_codes')
    .set({ status: 'used' })
    .where('device_code_hash', '=', hash)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1 || !row.user_id) return fail('device_code_used');
  const subject = await loadUserSubject(ctx, tenantId, row.user_id, row.auth_time ?? 0);
  if (!subject) return fail('subject_disabled_or_revoked');
  return {
    ok: true,
    subject,
    subjectName: subject.email ?? subject.id,
    tokenOptions: {
      clientId,
      scope: row.scope.split(' ').filter(Boolean),
      issuer: row.issuer,
      authTime: row.auth_time ?? now,
    },
  };
};
