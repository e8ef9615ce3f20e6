import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { principalOf } from '../../http/authenticated.js';
import { auditContext } from '../audit-actor.js';
import { errorResponses } from '../schemas.js';
import { mergeResources, normalizeResources } from './present.js';
import { findAuthorizedOrgUnit } from './org-unit-ops.js';
import { Resources, type ResourceItem } from './schemas.js';
import { Type } from '@sinclair/typebox';

/**
 * `PUT|PATCH /api/v1/org-unit/{departments|projects}/{id}/resources`: replace the quotas, or
 * replace only the node pools named in the body.
 */
export function resourceRoutes(ctx: Context, kind: 'department' | 'project'): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  const table = kind === 'department' ? 'departments' : 'projects';
  const param = kind === 'department' ? 'departmentId' : 'projectId';
  const path = `/api/v1/org-unit/${table}/:${param}/resources`;
  const params = Type.Object({ [param]: Type.String({ maxLength: 32 }) });
  return async (app) => {
    for (const method of ['put', 'patch'] as const) {
      app.route({
        method: method.toUpperCase() as 'PUT' | 'PATCH',
        url: path,
        schema: {
          tags: [kind === 'department' ? 'Departments' : 'Projects'],
          operationId: `${method === 'put' ? 'update' : 'patch'}_${kind}_resources`,
          params,
          body: Resources,
          response: { 200: Type.Array(Type.Any()), ...errorResponses(400, 401, 403, 404) },
        },
        handler: async (request) => {
          const p = principalOf(request);
          const raw = (request.params as Record<string, string>)[param] ?? '';
          const row = await findAuthorizedOrgUnit(db, p, kind, 'update', raw);
          const id = row.id;
          const body = request.body as ResourceItem[];
          const next =
            method === 'put'
              ? normalizeResources(body)
              : mergeResources(JSON.parse(row.resources) as ResourceItem[], body);
          await db.transaction().execute(async (trx) => {
            await trx
              .updateTable(table)
              .set({ resources: JSON.stringify(next), updated_at: Date.now(), updated_by: p.displayName })
              .where('id', '=', id)
              .execute();
            await recordAudit(trx, {
              action: 'update',
              resource: { type: kind, id: String(id), name: row.name },
              result: 'success',
              details: { resources: next },
              ...auditContext(request),
            });
          });
          return next;
        },
      });
    }
  };
}
