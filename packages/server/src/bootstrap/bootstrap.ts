import { v4 as uuidv4 } from 'uuid';
import type { Kysely } from 'kysely';
import { roleByName } from '@tessera/guard';
import type { Config } from '../config/config.js';
import { generatePassword, hashPassword } from '../crypto/passwords.js';
import type { Database } from '../store/schema.js';

/** The single tenant of a self-hosted install. */
export const DEFAULT_TENANT_ID = 1;

/** What bootstrap did, so `main` can tell the operator once. */
export interface BootstrapResult {
  createdAdmin?: { email: string; generatedPassword?: string };
}

/**
 * On an empty store: creates the default tenant and the first administrator with the System
 * administrator role on the tenant. Idempotent; run it inside the start-up lock.
 *
 * @example
 * ```ts
 * const { createdAdmin } = await bootstrap(db, config)
 * ```
 */
export async function bootstrap(
  db: Kysely<Database>,
  config: Pick<Config, 'adminEmail' | 'adminPassword'>,
): Promise<BootstrapResult> {
  const tenant = await db
    .selectFrom('tenants')
    .select('id')
    .where('id', '=', DEFAULT_TENANT_ID)
    .executeTakeFirst();
  if (tenant) return {};
  const generatedPassword = config.adminPassword === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(config.adminPassword ?? (generatedPassword as string));
  const now = Date.now();
  const adminId = uuidv4();
  await db.transaction().execute(async (trx) => {
    // Serial ids start at 1 on both dialects, so the first tenant is the default one; no id is forced,
    // which keeps PostgreSQL's sequence in step for tenants created later.
    const { id } = await trx
      .insertInto('tenants')
      .values({ name: 'default', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (id !== DEFAULT_TENANT_ID)
      throw new Error(`the default tenant got id ${id}, expected ${DEFAULT_TENANT_ID}`);
    await trx
      .insertInto('users')
      .values({
        id: adminId,
        tenant_id: DEFAULT_TENANT_ID,
        email: config.adminEmail,
        name: 'Administrator',
        password_hash: passwordHash,
        must_change_password: 0,
        enabled: 1,
        tokens_valid_after: 0,
        last_login: null,
        created_by: 'system',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('access_rules')
      .values({
        tenant_id: DEFAULT_TENANT_ID,
        subject_type: 'user',
        subject_id: config.adminEmail,
        role_id: roleByName('admin')!.id,
        scope_type: 'tenant',
        scope_id: String(DEFAULT_TENANT_ID),
        cluster_id: null,
        created_by: 'system',
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  return { createdAdmin: { email: config.adminEmail, generatedPassword } };
}
