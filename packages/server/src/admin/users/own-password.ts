import type { Kysely } from 'kysely';
import { recordAudit, type AuditEvent } from '../../audit/audit-log.js';
import { hashPassword } from '../../crypto/passwords.js';
import type { Database } from '../../store/schema.js';

/**
 * A user's own password change, after the caller has checked the policy: stores the new hash, lifts
 * the temporary-password restriction and audits it, together. Shared by `PUT /api/v1/me/password`
 * and the sign-in page's forced change, so the two cannot drift apart.
 *
 * @example
 * ```ts
 * await changeOwnPassword(db, user, newPassword, { tenantId, actor, sourceIp: request.ip })
 * ```
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  user: { id: string; email: string },
  newPassword: string,
  audit: Pick<AuditEvent, 'tenantId' | 'actor' | 'sourceIp'>,
): Promise<void> {
  const hash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: 0, updated_at: Date.now() })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(trx, {
      action: 'change-password',
      resource: { type: 'users', id: user.id, name: user.email },
      result: 'success',
      ...audit,
    });
  });
}
