import { verifyPassword } from '../../crypto/passwords.js';
import { invalidField } from '../../errors/registry.js';
import { CLI_CLIENT_ID, UI_CLIENT_ID } from '../../oauth/clients.js';
import { throttled } from '../../oauth/throttle.js';
import { preparedQuery } from '../../store/prepared-query.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { parseScope } from '../subjects.js';

/** What Run:ai's CLI asks for with `auth-flow: cli`; v1 password sign-ins get ID and refresh tokens. */
const V1_DEFAULT_SCOPE = ['openid', 'email', 'offline_access'];

/** Built once (store/prepared-query.ts): every password grant runs it. */
const userByEmail = preparedQuery((db, p: { tenantId: number; email: string }) =>
  db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash', 'enabled', 'tenant_id'])
    .where('tenant_id', '=', p.tenantId)
    .where('email', '=', p.email),
);

/**
 * `grantType: password` (v1) and `grant_type=password` (v2) — a user's email (`username`) and
 * password, throttled per (account, address) and per address.
 *
 * @example
 * ```ts
 * const outcome = await passwordGrant(ctx, { fields: { username, password }, tenantId, sourceIp, issuer })
 * ```
 */
export const passwordGrant: GrantHandler = async (
  ctx,
  { fields, tenantId, sourceIp, client, scope, issuer },
) => {
  const email = requireField(fields, 'username', 'username').trim().toLowerCase();
  const password = requireField(fields, 'password', 'password');
  const clientId = client?.clientId ?? fields.clientid ?? CLI_CLIENT_ID;
  if (!client && clientId !== CLI_CLIENT_ID && clientId !== UI_CLIENT_ID) {
    throw invalidField('clientID', `must be "${CLI_CLIENT_ID}" or "${UI_CLIENT_ID}" for the password grant`);
  }
  const db = ctx.store.db;
  const result = await throttled(
    ctx,
    tenantId,
    { kind: 'password', account: email, address: sourceIp },
    async () => {
      const [user] = await userByEmail(db, { tenantId, email });
      const matched = await verifyPassword(user?.password_hash, password);
      if (!user) return { ok: false as const, reason: 'unknown_user' };
      if (!matched) return { ok: false as const, reason: `wrong_password:${user.id}` };
      if (!user.enabled) return { ok: false as const, reason: `disabled:${user.id}` };
      return { ok: true as const, value: user };
    },
  );
  if (!result.ok) {
    const [reason, id] = result.reason.split(':');
    return { ok: false, reason: reason as string, subjectType: 'user', subjectId: id, subjectName: email };
  }
  const user = result.value;
  return {
    ok: true,
    subject: {
      id: user.id,
      type: 'user',
      tenantId: user.tenant_id,
      clientId,
      email: user.email,
      name: user.name ?? user.email,
      groups: [],
    },
    subjectName: user.email,
    tokenOptions: {
      clientId,
      scope: client ? (scope ?? ['openid']) : (parseScope(fields.scope) ?? V1_DEFAULT_SCOPE),
      issuer,
    },
    lastLogin: { table: 'users', id: user.id },
  };
};
