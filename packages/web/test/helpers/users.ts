import { randomUUID } from 'node:crypto';
import { call } from '../../../server/test/helpers/api.js';
import { openDirect } from '../../../server/test/helpers/direct-store.js';
import type { TestDatabase } from '../../../server/test/helpers/stores.js';
import { hashPassword } from '../../../server/src/crypto/passwords.js';

/**
 * Creates a user with a password in tenant 1 and gives it a predefined role on the tenant through
 * the access-rules API. The user row is written directly because the Users API belongs to issue #3
 * and is not on this branch; the role goes through the real API.
 */
export async function createUserWithRole(
  url: string,
  db: TestDatabase,
  adminToken: string,
  user: { email: string; password: string; roleId: number },
): Promise<void> {
  const store = openDirect(db);
  try {
    const now = Date.now();
    await store.db
      .insertInto('users')
      .values({
        id: randomUUID(),
        tenant_id: 1,
        email: user.email,
        name: user.email,
        password_hash: await hashPassword(user.password),
        must_change_password: 0,
        enabled: 1,
        tokens_valid_after: 0,
        created_by: 'test',
        created_at: now,
        updated_at: now,
      })
      .execute();
  } finally {
    await store.close();
  }
  const rule = await call(
    url,
    'POST',
    '/api/v1/authorization/access-rules',
    { subjectType: 'user', subjectId: user.email, roleId: user.roleId, scopeType: 'tenant', scopeId: '1' },
    adminToken,
  );
  if (rule.status !== 201 && rule.status !== 200)
    throw new Error(`access rule: ${rule.status} ${JSON.stringify(rule.body)}`);
}
