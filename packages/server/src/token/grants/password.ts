import { verifyPassword } from '../../crypto/passwords.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';

/** `grantType: password` — a user's email (`username`) and password. */
export const passwordGrant: GrantHandler = async (ctx, { fields, tenantId }) => {
  const email = requireField(fields, 'username', 'username').trim().toLowerCase();
  const password = requireField(fields, 'password', 'password');
  const db = ctx.store.db;
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash', 'enabled', 'tenant_id'])
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .executeTakeFirst();
  const matched = await verifyPassword(user?.password_hash, password);
  if (!user) return { ok: false, reason: 'unknown_user', subjectType: 'user', subjectName: email };
  const who = { subjectType: 'user', subjectId: user.id, subjectName: user.email };
  if (!matched) return { ok: false, reason: 'wrong_password', ...who };
  if (!user.enabled) return { ok: false, reason: 'disabled', ...who };
  return {
    ok: true,
    subject: {
      id: user.id,
      type: 'user',
      tenantId: user.tenant_id,
      clientId: 'runai',
      email: user.email,
      name: user.name ?? user.email,
      groups: [],
    },
    subjectName: user.email,
    lastLogin: { table: 'users', id: user.id },
    touch: async (trx) => {
      await trx.updateTable('users').set({ last_login: Date.now() }).where('id', '=', user.id).execute();
    },
  };
};
