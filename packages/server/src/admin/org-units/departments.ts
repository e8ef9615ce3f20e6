import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requirePermission } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { ancestryOf } from '../../scopes/ancestry.js';
import { auditContext } from '../audit-actor.js';
import { filterWhere, nextOffset, paging, parseFilters, sortColumn, type FieldSpec } from '../list-query.js';
import { errorResponses } from '../schemas.js';
import { normalizeResources, orgUnitId, requireCluster, toDepartment } from './present.js';
import { resourceRoutes } from './resources.js';
import {
  Count,
  CountQuery,
  Department,
  DepartmentCreationRequest,
  DepartmentList,
  DepartmentParams,
  DepartmentUpdateRequest,
  OrgUnitListQuery,
} from './schemas.js';
import { visibleOrgUnits } from './visibility.js';
import { publishChange } from '../../feed/publish.js';

const FIELDS: Record<string, FieldSpec> = {
  name: { column: 'name', kind: 'text' },
  clusterId: { column: 'cluster_id', kind: 'text' },
  createdAt: { column: 'created_at', kind: 'instant' },
};
const tags = ['Departments'];

/** `/api/v1/org-unit/departments`: departments live in a cluster and hold projects. */
export function departmentRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  const find = async (tenantId: number, raw: string) => {
    const row = await db
      .selectFrom('departments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', orgUnitId('department', raw))
      .executeTakeFirst();
    if (!row) throw new TesseraError('NOT_FOUND', `department ${raw} not found`);
    return row;
  };
  return async (app) => {
    app.get(
      '/api/v1/org-unit/departments',
      {
        schema: {
          tags,
          operationId: 'get_departments',
          querystring: OrgUnitListQuery,
          response: { 200: DepartmentList, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const q = request.query;
        const filters = parseFilters(q.filterBy, FIELDS);
        const { offset, limit } = paging(q);
        const rows = await db
          .selectFrom('departments')
          .selectAll()
          .where('tenant_id', '=', p.tenantId)
          .where(visibleOrgUnits(p, 'departments', 'department', 'read'))
          .where(await filterWhere(ctx.store, filters, FIELDS))
          .orderBy(sortColumn(q.sortBy, FIELDS, 'name') as 'name', q.sortOrder ?? 'asc')
          .orderBy('id', q.sortOrder ?? 'asc')
          .offset(offset)
          .limit(limit + 1)
          .execute();
        return {
          departments: rows.slice(0, limit).map(toDepartment),
          ...nextOffset(offset, limit, rows.length),
        };
      },
    );

    app.get(
      '/api/v1/org-unit/departments/count',
      {
        schema: {
          tags,
          operationId: 'count_departments',
          querystring: CountQuery,
          response: { 200: Count, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const filters = parseFilters(request.query.filterBy, FIELDS);
        const { count } = await db
          .selectFrom('departments')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('tenant_id', '=', p.tenantId)
          .where(visibleOrgUnits(p, 'departments', 'department', 'read'))
          .where(await filterWhere(ctx.store, filters, FIELDS))
          .executeTakeFirstOrThrow();
        return { count: Number(count) };
      },
    );

    app.post(
      '/api/v1/org-unit/departments',
      {
        schema: {
          tags,
          operationId: 'create_department',
          body: DepartmentCreationRequest,
          response: { 201: Department, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const body = request.body;
        await requireCluster(db, p.tenantId, body.clusterId);
        requirePermission(
          p,
          'department',
          'create',
          await ancestryOf(db, p.tenantId, { type: 'cluster', id: body.clusterId }),
        );
        const resources = normalizeResources(body.resources ?? []);
        const row = await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('departments')
            .select('id')
            .where('tenant_id', '=', p.tenantId)
            .where('name', '=', body.name)
            .executeTakeFirst();
          if (taken)
            throw new TesseraError('CONFLICT', `name: a department named "${body.name}" already exists`);
          const now = Date.now();
          const created = await trx
            .insertInto('departments')
            .values({
              tenant_id: p.tenantId,
              name: body.name,
              cluster_id: body.clusterId,
              description: body.description ?? null,
              resources: JSON.stringify(resources),
              created_by: p.displayName,
              updated_by: p.displayName,
              created_at: now,
              updated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await publishChange(trx, p.tenantId, { kind: 'resync' });
          await recordAudit(trx, {
            ...auditContext(request),
            action: 'create',
            resource: { type: 'department', id: String(created.id), name: created.name },
            result: 'success',
          });
          return created;
        });
        return reply.code(201).send(toDepartment(row));
      },
    );

    app.get(
      '/api/v1/org-unit/departments/:departmentId',
      {
        schema: {
          tags,
          operationId: 'get_department',
          params: DepartmentParams,
          response: { 200: Department, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await find(p.tenantId, request.params.departmentId);
        requirePermission(
          p,
          'department',
          'read',
          await ancestryOf(db, p.tenantId, { type: 'department', id: String(row.id) }),
        );
        return toDepartment(row);
      },
    );

    app.put(
      '/api/v1/org-unit/departments/:departmentId',
      {
        schema: {
          tags,
          operationId: 'update_department',
          params: DepartmentParams,
          body: DepartmentUpdateRequest,
          response: { 200: Department, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await find(p.tenantId, request.params.departmentId);
        requirePermission(
          p,
          'department',
          'update',
          await ancestryOf(db, p.tenantId, { type: 'department', id: String(row.id) }),
        );
        const patch = {
          description: request.body.description ?? null,
          ...(request.body.resources
            ? { resources: JSON.stringify(normalizeResources(request.body.resources)) }
            : {}),
          updated_by: p.displayName,
          updated_at: Date.now(),
        };
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('departments').set(patch).where('id', '=', row.id).execute();
          await publishChange(trx, p.tenantId, { kind: 'resync' });
          await recordAudit(trx, {
            ...auditContext(request),
            action: 'update',
            resource: { type: 'department', id: String(row.id), name: row.name },
            result: 'success',
          });
        });
        return toDepartment({ ...row, ...patch });
      },
    );

    app.delete(
      '/api/v1/org-unit/departments/:departmentId',
      {
        schema: {
          tags,
          operationId: 'delete_department',
          params: DepartmentParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(p.tenantId, request.params.departmentId);
        requirePermission(
          p,
          'department',
          'delete',
          await ancestryOf(db, p.tenantId, { type: 'department', id: String(row.id) }),
        );
        await db.transaction().execute(async (trx) => {
          const child = await trx
            .selectFrom('projects')
            .select('name')
            .where('tenant_id', '=', p.tenantId)
            .where('department_id', '=', row.id)
            .executeTakeFirst();
          if (child)
            throw new TesseraError(
              'INVALID_REQUEST',
              `departmentId: department "${row.name}" still has projects (e.g. "${child.name}"); delete them first`,
            );
          await trx
            .deleteFrom('access_rules')
            .where('tenant_id', '=', p.tenantId)
            .where('scope_type', '=', 'department')
            .where('scope_id', '=', String(row.id))
            .execute();
          await trx.deleteFrom('departments').where('id', '=', row.id).execute();
          await publishChange(trx, p.tenantId, { kind: 'resync' });
          await recordAudit(trx, {
            ...auditContext(request),
            action: 'delete',
            resource: { type: 'department', id: String(row.id), name: row.name },
            result: 'success',
          });
        });
        return reply.code(204).send(null);
      },
    );

    await app.register(resourceRoutes(ctx, 'department'));
  };
}
