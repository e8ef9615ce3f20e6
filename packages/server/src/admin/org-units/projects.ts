import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requirePermission } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { invalidField, TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { ancestryOf } from '../../scopes/ancestry.js';
import { auditContext } from '../audit-actor.js';
import { filterWhere, nextOffset, paging, parseFilters, sortColumn, type FieldSpec } from '../list-query.js';
import { errorResponses } from '../schemas.js';
import { normalizeResources, orgUnitId, requireCluster, toProject } from './present.js';
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
import { visibleOrgUnits } from './visibility.js';
import { publishChange } from '../../feed/publish.js';

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
  const find = async (tenantId: number, raw: string) => {
    const row = await db
      .selectFrom('projects')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', orgUnitId('project', raw))
      .executeTakeFirst();
    if (!row) throw new TesseraError('NOT_FOUND', `project ${raw} not found`);
    return row;
  };
  const listWhere = async (
    p: ReturnType<typeof principalOf>,
    filterBy: string[] | undefined,
    search: string | undefined,
  ) => {
    const filters = parseFilters(filterBy, FIELDS);
    if (search) filters.push({ field: 'name', op: '=@', value: search });
    return db
      .selectFrom('projects')
      .where('projects.tenant_id', '=', p.tenantId)
      .where(visibleOrgUnits(p, 'projects', 'project', 'read'))
      .where(await filterWhere(ctx.store, filters, FIELDS));
  };
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
        const rows = await (
          await listWhere(p, q.filterBy, q.search)
        )
          .selectAll()
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
        const { count } = await (
          await listWhere(p, request.query.filterBy, request.query.search)
        )
          .select((eb) => eb.fn.countAll<number>().as('count'))
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
        const resources = normalizeResources(body.resources);
        const row = await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('projects')
            .select('id')
            .where('tenant_id', '=', p.tenantId)
            .where('name', '=', body.name)
            .executeTakeFirst();
          if (taken)
            throw new TesseraError('CONFLICT', `name: a project named "${body.name}" already exists`);
          const now = Date.now();
          const created = await trx
            .insertInto('projects')
            .values({
              tenant_id: p.tenantId,
              name: body.name,
              department_id: parent.id,
              cluster_id: body.clusterId,
              description: body.description ?? null,
              requested_namespace: body.requestedNamespace ?? null,
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
            resource: { type: 'project', id: String(created.id), name: created.name },
            result: 'success',
          });
          return created;
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
        const row = await find(p.tenantId, request.params.projectId);
        requirePermission(
          p,
          'project',
          'read',
          await ancestryOf(db, p.tenantId, { type: 'project', id: String(row.id) }),
        );
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
        const row = await find(p.tenantId, request.params.projectId);
        requirePermission(
          p,
          'project',
          'update',
          await ancestryOf(db, p.tenantId, { type: 'project', id: String(row.id) }),
        );
        const patch = {
          description: request.body.description ?? null,
          resources: JSON.stringify(normalizeResources(request.body.resources)),
          updated_by: p.displayName,
          updated_at: Date.now(),
        };
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('projects').set(patch).where('id', '=', row.id).execute();
          await publishChange(trx, p.tenantId, { kind: 'resync' });
          await recordAudit(trx, {
            ...auditContext(request),
            action: 'update',
            resource: { type: 'project', id: String(row.id), name: row.name },
            result: 'success',
          });
        });
        return toProject({ ...row, ...patch });
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
        const row = await find(p.tenantId, request.params.projectId);
        requirePermission(
          p,
          'project',
          'delete',
          await ancestryOf(db, p.tenantId, { type: 'project', id: String(row.id) }),
        );
        await db.transaction().execute(async (trx) => {
          await trx
            .deleteFrom('access_rules')
            .where('tenant_id', '=', p.tenantId)
            .where('scope_type', '=', 'project')
            .where('scope_id', '=', String(row.id))
            .execute();
          await trx.deleteFrom('projects').where('id', '=', row.id).execute();
          await publishChange(trx, p.tenantId, { kind: 'resync' });
          await recordAudit(trx, {
            ...auditContext(request),
            action: 'delete',
            resource: { type: 'project', id: String(row.id), name: row.name },
            result: 'success',
          });
        });
        return reply.code(204).send(null);
      },
    );

    await app.register(resourceRoutes(ctx, 'project'));
  };
}
