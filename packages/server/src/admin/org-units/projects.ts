import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requirePermission } from '../../auth/principal.js';
import type { Context } from '../../context.js';
import { invalidField } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { ancestryOf } from '../../scopes/ancestry.js';
import { nextOffset, paging, sortColumn, type FieldSpec } from '../list-query.js';
import { errorResponses } from '../schemas.js';
import { normalizeResources, requireCluster, toProject } from './present.js';
import { resourceRoutes } from './resources.js';
import {
  Count,
  CountQuery,
  OrgUnitListQuery,
  Project,
  ProjectCreationRequest,
  ProjectList,
  ProjectParams,
  ProjectUpdateRequest,
} from './schemas.js';
import { listedOrgUnits } from './visibility.js';
import { createOrgUnit, deleteOrgUnit, findAuthorizedOrgUnit, updateOrgUnit } from './org-unit-ops.js';

const FIELDS: Record<string, FieldSpec> = {
  name: {
    column: 'projects.name',
    kind: 'text',
    lowercase: true,
    trigram: { fts: 'projects_name_fts', ftsKey: 'projects.id', key: 'projects.id' },
  },
  clusterId: { column: 'projects.cluster_id', kind: 'text' },
  departmentId: { column: 'projects.department_id', kind: 'number' },
  parentId: { column: 'projects.department_id', kind: 'number' },
  createdAt: { column: 'projects.created_at', kind: 'instant' },
};
const tags = ['Projects'];

/** `/api/v1/org-unit/projects`: projects live under a department, in that department's cluster. */
export function projectRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.get(
      '/api/v1/org-unit/projects',
      {
        schema: {
          tags,
          operationId: 'get_projects',
          querystring: OrgUnitListQuery,
          response: { 200: ProjectList, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const q = request.query;
        const { offset, limit } = paging(q);
        const sort = sortColumn(q.sortBy, FIELDS, 'projects.name');
        const rows = await db
          .selectFrom('projects')
          .selectAll()
          .where(await listedOrgUnits(ctx.store, p, 'projects', FIELDS, q))
          .orderBy(sort as 'name', q.sortOrder ?? 'asc')
          // The tie-breaker runs the same way as the sort, so an index ending in (…, created_at, id) is read in order.
          .orderBy('projects.id', q.sortOrder ?? 'asc')
          .offset(offset)
          .limit(limit + 1)
          .execute();
        return { projects: rows.slice(0, limit).map(toProject), ...nextOffset(offset, limit, rows.length) };
      },
    );

    app.get(
      '/api/v1/org-unit/projects/count',
      {
        schema: {
          tags,
          operationId: 'count_projects',
          querystring: CountQuery,
          response: { 200: Count, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { count } = await db
          .selectFrom('projects')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where(await listedOrgUnits(ctx.store, p, 'projects', FIELDS, request.query))
          .executeTakeFirstOrThrow();
        return { count: Number(count) };
      },
    );

    app.post(
      '/api/v1/org-unit/projects',
      {
        schema: {
          tags,
          operationId: 'create_project',
          body: ProjectCreationRequest,
          response: { 201: Project, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const body = request.body;
        await requireCluster(db, p.tenantId, body.clusterId);
        const parent = await db
          .selectFrom('departments')
          .select(['id', 'cluster_id'])
          .where('tenant_id', '=', p.tenantId)
          .where('id', '=', Number(body.parentId))
          .executeTakeFirst();
        if (!parent) throw invalidField('parentId', `department ${body.parentId} does not exist`);
        if (parent.cluster_id !== body.clusterId)
          throw invalidField('parentId', `department ${body.parentId} is not in cluster ${body.clusterId}`);
        requirePermission(
          p,
          'project',
          'create',
          await ancestryOf(db, p.tenantId, { type: 'department', id: body.parentId }),
        );
        const now = Date.now();
        const row = await createOrgUnit(db, request, 'project', {
          tenant_id: p.tenantId,
          name: body.name,
          department_id: parent.id,
          cluster_id: body.clusterId,
          description: body.description ?? null,
          requested_namespace: body.requestedNamespace ?? null,
          resources: JSON.stringify(normalizeResources(body.resources)),
          created_by: p.displayName,
          updated_by: p.displayName,
          created_at: now,
          updated_at: now,
        });
        return reply.code(201).send(toProject(row));
      },
    );

    app.get(
      '/api/v1/org-unit/projects/:projectId',
      {
        schema: {
          tags,
          operationId: 'get_project',
          params: ProjectParams,
          response: { 200: Project, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await findAuthorizedOrgUnit(db, p, 'project', 'read', request.params.projectId);
        return toProject(row);
      },
    );

    app.put(
      '/api/v1/org-unit/projects/:projectId',
      {
        schema: {
          tags,
          operationId: 'update_project',
          params: ProjectParams,
          body: ProjectUpdateRequest,
          response: { 200: Project, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await findAuthorizedOrgUnit(db, p, 'project', 'update', request.params.projectId);
        const patch = {
          description: request.body.description ?? null,
          resources: JSON.stringify(normalizeResources(request.body.resources)),
          updated_by: p.displayName,
          updated_at: Date.now(),
        };
        return toProject(await updateOrgUnit(db, request, 'project', row, patch));
      },
    );

    app.delete(
      '/api/v1/org-unit/projects/:projectId',
      {
        schema: {
          tags,
          operationId: 'delete_project',
          params: ProjectParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await findAuthorizedOrgUnit(db, p, 'project', 'delete', request.params.projectId);
        await deleteOrgUnit(db, request, 'project', row);
        return reply.code(204).send(null);
      },
    );

    await app.register(resourceRoutes(ctx, 'project'));
  };
}
