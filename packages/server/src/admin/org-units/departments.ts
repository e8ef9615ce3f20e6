import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requirePermission } from '../../auth/principal.js';
import type { Context } from '../../context.js';
import { TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { ancestryOf } from '../../scopes/ancestry.js';
import { nextOffset, paging, sortColumn, type FieldSpec } from '../list-query.js';
import { errorResponses } from '../schemas.js';
import { normalizeResources, requireCluster, toDepartment } from './present.js';
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
import { listedOrgUnits } from './visibility.js';
import { createOrgUnit, deleteOrgUnit, findAuthorizedOrgUnit, updateOrgUnit } from './org-unit-ops.js';

const FIELDS: Record<string, FieldSpec> = {
  name: { column: 'name', kind: 'text' },
  clusterId: { column: 'cluster_id', kind: 'text' },
  createdAt: { column: 'created_at', kind: 'instant' },
};
const tags = ['Departments'];

/** `/api/v1/org-unit/departments`: departments live in a cluster and hold projects. */
export function departmentRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
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
        const { offset, limit } = paging(q);
        const rows = await db
          .selectFrom('departments')
          .selectAll()
          .where(await listedOrgUnits(ctx.store, p, 'departments', FIELDS, q))
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
        const { count } = await db
          .selectFrom('departments')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where(await listedOrgUnits(ctx.store, p, 'departments', FIELDS, request.query))
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
        const now = Date.now();
        const row = await createOrgUnit(db, request, 'department', {
          tenant_id: p.tenantId,
          name: body.name,
          cluster_id: body.clusterId,
          description: body.description ?? null,
          resources: JSON.stringify(normalizeResources(body.resources ?? [])),
          created_by: p.displayName,
          updated_by: p.displayName,
          created_at: now,
          updated_at: now,
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
        const row = await findAuthorizedOrgUnit(db, p, 'department', 'read', request.params.departmentId);
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
        const row = await findAuthorizedOrgUnit(db, p, 'department', 'update', request.params.departmentId);
        const patch = {
          description: request.body.description ?? null,
          ...(request.body.resources
            ? { resources: JSON.stringify(normalizeResources(request.body.resources)) }
            : {}),
          updated_by: p.displayName,
          updated_at: Date.now(),
        };
        return toDepartment(await updateOrgUnit(db, request, 'department', row, patch));
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
        const row = await findAuthorizedOrgUnit(db, p, 'department', 'delete', request.params.departmentId);
        await deleteOrgUnit(db, request, 'department', row, async (trx) => {
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
        });
        return reply.code(204).send(null);
      },
    );

    await app.register(resourceRoutes(ctx, 'department'));
  };
}
