import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { auditContext } from '../admin/audit-actor.js';
import { errorResponses } from '../admin/schemas.js';
import { recordAudit } from '../audit/audit-log.js';
import { requirePermission, type Principal } from '../auth/principal.js';
import type { Context } from '../context.js';
import { TesseraError } from '../errors/registry.js';
import { principalOf } from '../http/authenticated.js';
import { tenantScope } from '../scopes/ancestry.js';
import { parseIdpRequest } from './model.js';
import { findIdp, listIdps, present } from './repository.js';
import { IdpParams, IdpSchema } from './schemas.js';

const tags = ['Idps'];
// Identity providers decide who may sign in, so they are security settings: everyone who may read
// those sees them (secret masked); only System administrators hold create/update/delete.
const RESOURCE = 'security-settings';

function allow(p: Principal, action: 'create' | 'read' | 'update' | 'delete'): void {
  requirePermission(p, RESOURCE, action, [tenantScope(p.tenantId)]);
}

/**
 * `/api/v1/idps` and `/api/v1/idps/{idp}`: the tenant's upstream OIDC identity providers. The
 * client secret is sealed under the master key and answered as `*******`.
 *
 * @example
 * ```ts
 * await app.register(idpRoutes(ctx))
 * ```
 */
export function idpRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.get(
      '/api/v1/idps',
      {
        schema: {
          tags,
          operationId: 'get_idps',
          response: { 200: Type.Array(IdpSchema), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        allow(p, 'read');
        return (await listIdps(db, p.tenantId)).map((row) => present(row, ctx.issuer()));
      },
    );

    app.post(
      '/api/v1/idps',
      {
        schema: {
          tags,
          operationId: 'create_idp',
          body: Type.Unknown(),
          response: { 201: Type.Object({ alias: Type.String() }), ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        allow(p, 'create');
        const parsed = parseIdpRequest(request.body, { secretRequired: true });
        await db.transaction().execute(async (trx) => {
          if (await findIdp(trx, p.tenantId, parsed.alias))
            throw new TesseraError('CONFLICT', `name: an identity provider "${parsed.alias}" already exists`);
          const now = Date.now();
          await trx
            .insertInto('identity_providers')
            .values({
              tenant_id: p.tenantId,
              alias: parsed.alias,
              type: 'oidc',
              config: JSON.stringify(parsed.oidc),
              mappers: JSON.stringify(parsed.mappers),
              client_secret_enc: ctx.master.seal(parsed.clientSecret as string),
              created_at: now,
              updated_at: now,
            })
            .execute();
          await recordAudit(trx, {
            action: 'create',
            resource: { type: 'idps', id: parsed.alias, name: parsed.alias },
            result: 'success',
            details: { clientId: parsed.oidc.clientId, discoverDocumentUrl: parsed.oidc.discoverDocumentUrl },
            ...auditContext(request),
          });
        });
        return reply.code(201).send({ alias: parsed.alias });
      },
    );

    app.get(
      '/api/v1/idps/:idp',
      {
        schema: {
          tags,
          operationId: 'get_idp',
          params: IdpParams,
          response: { 200: IdpSchema, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        allow(p, 'read');
        const row = await findIdp(db, p.tenantId, request.params.idp);
        if (!row) throw notFound(request.params.idp);
        return present(row, ctx.issuer());
      },
    );

    app.put(
      '/api/v1/idps/:idp',
      {
        schema: {
          tags,
          operationId: 'update_idp',
          params: IdpParams,
          body: Type.Unknown(),
          response: errorResponses(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        allow(p, 'update');
        const alias = request.params.idp;
        const parsed = parseIdpRequest(Object.assign({}, request.body as object, { name: alias }), {
          secretRequired: false,
        });
        await db.transaction().execute(async (trx) => {
          const row = await findIdp(trx, p.tenantId, alias);
          if (!row) throw notFound(alias);
          await trx
            .updateTable('identity_providers')
            .set({
              config: JSON.stringify(parsed.oidc),
              mappers: JSON.stringify(parsed.mappers),
              ...(parsed.clientSecret ? { client_secret_enc: ctx.master.seal(parsed.clientSecret) } : {}),
              updated_at: Date.now(),
            })
            .where('tenant_id', '=', p.tenantId)
            .where('alias', '=', alias)
            .execute();
          await recordAudit(trx, {
            action: 'update',
            resource: { type: 'idps', id: alias, name: alias },
            result: 'success',
            details: { clientId: parsed.oidc.clientId, secretChanged: parsed.clientSecret !== undefined },
            ...auditContext(request),
          });
        });
        return reply.code(200).send();
      },
    );

    app.delete(
      '/api/v1/idps/:idp',
      {
        schema: {
          tags,
          operationId: 'delete_idp',
          params: IdpParams,
          response: errorResponses(401, 403, 404),
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        allow(p, 'delete');
        const alias = request.params.idp;
        await db.transaction().execute(async (trx) => {
          const gone = await trx
            .deleteFrom('identity_providers')
            .where('tenant_id', '=', p.tenantId)
            .where('alias', '=', alias)
            .executeTakeFirst();
          if (Number(gone.numDeletedRows) === 0) throw notFound(alias);
          await recordAudit(trx, {
            action: 'delete',
            resource: { type: 'idps', id: alias, name: alias },
            result: 'success',
            ...auditContext(request),
          });
        });
        return reply.code(200).send();
      },
    );
  };
}

/**
 * The 404 for an alias the tenant does not have.
 *
 * @example
 * ```ts
 * throw notFound('oidc')
 * ```
 */
export function notFound(alias: string): TesseraError {
  return new TesseraError('NOT_FOUND', `identity provider ${alias.slice(0, 64)} not found`);
}
