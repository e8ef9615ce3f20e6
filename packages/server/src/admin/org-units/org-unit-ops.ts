import type { FastifyRequest } from 'fastify';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit-log.js';
import { requirePermission, type Principal } from '../../auth/principal.js';
import { TesseraError } from '../../errors/registry.js';
import { publishChange } from '../../feed/publish.js';
import type { Action } from '@tessera/guard';
import { ancestryOf } from '../../scopes/ancestry.js';
import type { Database, DepartmentTable, ProjectTable } from '../../store/schema.js';
import { auditContext } from '../audit-actor.js';
import { orgUnitId, type DepartmentRow, type ProjectRow } from './present.js';

/** The two kinds of org unit; each is a resource type and names its table. */
export type OrgUnitKind = 'department' | 'project';

interface Rows {
  department: DepartmentRow;
  project: ProjectRow;
}
interface Inserts {
  department: Insertable<DepartmentTable>;
  project: Insertable<ProjectTable>;
}

const TABLE = { department: 'departments', project: 'projects' } as const;

/**
 * The org unit `raw` of the caller's tenant if the caller may `action` it: 404 when there is none
 * (also for another tenant's id, so ids don't leak), else 403 unless its place in the tree allows it.
 *
 * @example
 * ```ts
 * const row = await findAuthorizedOrgUnit(db, p, 'project', 'delete', request.params.projectId)
 * ```
 */
export async function findAuthorizedOrgUnit<K extends OrgUnitKind>(
  db: Kysely<Database>,
  p: Principal,
  kind: K,
  action: Action,
  raw: string,
): Promise<Rows[K]> {
  const row = await db
    .selectFrom(TABLE[kind] as 'projects')
    .selectAll()
    .where('tenant_id', '=', p.tenantId)
    .where('id', '=', orgUnitId(kind, raw))
    .executeTakeFirst();
  if (!row) throw new TesseraError('NOT_FOUND', `${kind} ${raw} not found`);
  requirePermission(p, kind, action, await ancestryOf(db, p.tenantId, { type: kind, id: String(row.id) }));
  return row as Rows[K];
}

/**
 * Inserts an org unit whose name is free in the tenant (409 otherwise), announces it to clusters and
 * audits it, all in one transaction.
 *
 * @example
 * ```ts
 * const row = await createOrgUnit(db, request, 'department', { tenant_id, name, … })
 * ```
 */
export async function createOrgUnit<K extends OrgUnitKind>(
  db: Kysely<Database>,
  request: FastifyRequest,
  kind: K,
  values: Inserts[K],
): Promise<Rows[K]> {
  const table = TABLE[kind] as 'projects';
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom(table)
      .select('id')
      .where('tenant_id', '=', values.tenant_id)
      .where('name', '=', values.name)
      .executeTakeFirst();
    if (taken) throw new TesseraError('CONFLICT', `name: a ${kind} named "${values.name}" already exists`);
    const created = await trx
      .insertInto(table)
      .values(values as Insertable<ProjectTable>)
      .returningAll()
      .executeTakeFirstOrThrow();
    await announce(trx, request, kind, 'create', created);
    return created as Rows[K];
  });
}

/**
 * Writes `patch` to the org unit, announces and audits it in one transaction; returns the new row.
 *
 * @example
 * ```ts
 * return toProject(await updateOrgUnit(db, request, 'project', row, { description: null }))
 * ```
 */
export async function updateOrgUnit<K extends OrgUnitKind>(
  db: Kysely<Database>,
  request: FastifyRequest,
  kind: K,
  row: Rows[K],
  patch: Partial<Rows[K]>,
): Promise<Rows[K]> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable(TABLE[kind] as 'projects')
      .set(patch as Partial<ProjectRow>)
      .where('id', '=', row.id)
      .execute();
    await announce(trx, request, kind, 'update', row);
  });
  return Object.assign({}, row, patch);
}

/**
 * Deletes the org unit and the access rules scoped to it, after `precheck` (in the same transaction)
 * found nothing in the way; announces and audits it.
 *
 * @example
 * ```ts
 * await deleteOrgUnit(db, request, 'project', row)
 * ```
 */
export async function deleteOrgUnit(
  db: Kysely<Database>,
  request: FastifyRequest,
  kind: OrgUnitKind,
  row: { id: number; tenant_id: number; name: string },
  precheck: (trx: Transaction<Database>) => Promise<void> = async () => {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await precheck(trx);
    await trx
      .deleteFrom('access_rules')
      .where('tenant_id', '=', row.tenant_id)
      .where('scope_type', '=', kind)
      .where('scope_id', '=', String(row.id))
      .execute();
    await trx
      .deleteFrom(TABLE[kind] as 'projects')
      .where('id', '=', row.id)
      .execute();
    await announce(trx, request, kind, 'delete', row);
  });
}

/** Clusters resync on any org-unit change; every change is audited. */
async function announce(
  trx: Transaction<Database>,
  request: FastifyRequest,
  kind: OrgUnitKind,
  action: 'create' | 'update' | 'delete',
  row: { id: number; tenant_id: number; name: string },
): Promise<void> {
  await publishChange(trx, row.tenant_id, { kind: 'resync' });
  await recordAudit(trx, {
    action,
    resource: { type: kind, id: String(row.id), name: row.name },
    result: 'success',
    ...auditContext(request),
  });
}
