import type { Kysely, Selectable } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { TesseraError } from '../../errors/registry.js';
import type { ApplicationTable, Database } from '../../store/schema.js';
import { rotateSubjectSecret } from '../credential-subjects.js';
import { iso, isoOrNull } from '../schemas.js';
import type { Application } from './schemas.js';

type AppRow = Selectable<ApplicationTable>;

/** The spec's `Application` for a row. Secrets never appear here. */
export function toApplication(row: AppRow): Application {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    enabled: row.enabled === 1,
    tenantId: String(row.tenant_id),
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastLogin: isoOrNull(row.last_login),
  };
}

/** Finds an application of the tenant by id, or throws NOT_FOUND (also for other tenants' ids). */
export async function findApp(db: Kysely<Database>, tenantId: number, id: string): Promise<AppRow> {
  const row = await db
    .selectFrom('applications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new TesseraError('NOT_FOUND', `application ${id.slice(0, 64)} not found`);
  return row;
}

/** Inserts an application and its first secret; returns the row and the plaintext secret (shown once). */
export async function insertApp(
  db: Kysely<Database>,
  pepper: Buffer,
  values: { tenantId: number; name: string; createdBy: string },
  now = Date.now(),
): Promise<{ row: AppRow; secret: string }> {
  const taken = await db
    .selectFrom('applications')
    .select('id')
    .where('tenant_id', '=', values.tenantId)
    .where('name', '=', values.name)
    .executeTakeFirst();
  if (taken) throw new TesseraError('CONFLICT', `name: an application named "${values.name}" already exists`);
  const id = uuidv4();
  const row: AppRow = {
    id,
    tenant_id: values.tenantId,
    name: values.name,
    client_id: id,
    enabled: 1,
    tokens_valid_after: 0,
    last_login: null,
    created_by: values.createdBy,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('applications').values(row).execute();
  const secret = await rotateSubjectSecret(db, pepper, 'app', row, { overlapSec: 0 }, now);
  return { row, secret };
}
