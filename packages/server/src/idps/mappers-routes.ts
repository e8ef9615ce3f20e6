import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { auditContext } from '../admin/audit-actor.js';
import { errorResponses } from '../admin/schemas.js';
import { recordAudit } from '../audit/audit-log.js';
import { requirePermission } from '../auth/principal.js';
import type { Context } from '../context.js';
import { invalidField } from '../errors/registry.js';
import { principalOf } from '../http/authenticated.js';
import { tenantScope } from '../scopes/ancestry.js';
import { parseMappers } from './model.js';
import { findIdp, presentMappers } from './repository.js';
import { notFound } from './routes.js';
import { IdpParams, MappersSchema } from './schemas.js';

const tags = ['Idps'];

/**
 * `GET|PUT /api/v1/idps/{idp}/mappers`: which upstream claims give a user's email and groups.
 *
 * @example
 * ```ts
 * await app.register(idpMapperRoutes(ctx))
 * ```
 */
export function idpMapperRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.get(
      '/api/v1/idps/:idp/mappers',
      {
        schema: {
          tags,
          operationId: 'get_idp_mappers',
          params: IdpParams,
          response: { 200: MappersSchema, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'security-settings', 'read', [tenantScope(p.tenantId)]);
        const row = await findIdp(db, p.tenantId, request.params.idp);
        if (!row) throw notFound(request.params.idp);
        return presentMappers(row);
      },
    );

    app.put(
      '/api/v1/idps/:idp/mappers',
      {
        schema: {
          tags,
          operationId: 'update_idp_mappers',
          params: IdpParams,
          body: Type.Unknown(),
          response: errorResponses(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        requirePermission(p, 'security-settings', 'update', [tenantScope(p.tenantId)]);
        const alias = request.params.idp;
        if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body))
          throw invalidField('body', 'must be a JSON object');
        const mappers = parseMappers(request.body, 'body');
        await db.transaction().execute(async (trx) => {
          if (!(await findIdp(trx, p.tenantId, alias))) throw notFound(alias);
          await trx
            .updateTable('identity_providers')
            .set({ mappers: JSON.stringify(mappers), updated_at: Date.now() })
            .where('tenant_id', '=', p.tenantId)
            .where('alias', '=', alias)
            .execute();
          await recordAudit(trx, {
            action: 'update',
            resource: { type: 'idps', id: alias, name: `${alias} mappers` },
            result: 'success',
            details: { mappers },
            ...auditContext(request),
          });
        });
        return reply.code(202).send();
      },
    );
  };
}
