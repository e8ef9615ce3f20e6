import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requirePermission } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { principalOf } from '../../http/authenticated.js';
import { tenantScope } from '../../scopes/ancestry.js';
import { authorizeGrant, insertRule } from '../access-rules/grant.js';
import { auditContext } from '../audit-actor.js';
import { errorResponses } from '../schemas.js';
import { RotationQuery, rotationOptions } from '../../credentials/rotation-query.js';
import {
  deleteCredentialSubject,
  regenerateSubjectSecret,
  setSubjectEnabled,
} from '../credential-subjects.js';
import { findApp, insertApp, toApplication } from './repository.js';
import {
  AppIdParams,
  Application,
  ApplicationCreationRequest,
  ApplicationPatchRequest,
  ApplicationPostResponse,
  SecretResponse,
} from './schemas.js';
import { grantsFromSeedView } from './seed-view.js';
import { publishRule, publishSubject } from '../../feed/publish.js';

const tags = ['Applications'];
const APP = { type: 'app', auditType: 'apps' } as const;

/** `/api/v1/apps`: machine credentials. Their secret is returned once, at creation or regeneration. */
export function appRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.get(
      '/api/v1/apps',
      {
        schema: {
          tags,
          operationId: 'get_applications',
          response: { 200: Type.Array(Application), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        requirePermission(principal, 'apps', 'read', [tenantScope(principal.tenantId)]);
        const rows = await db
          .selectFrom('applications')
          .selectAll()
          .where('tenant_id', '=', principal.tenantId)
          .orderBy('name')
          .execute();
        return rows.map(toApplication);
      },
    );

    app.post(
      '/api/v1/apps',
      {
        schema: {
          tags,
          operationId: 'create_application',
          body: ApplicationCreationRequest,
          response: { 201: ApplicationPostResponse, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        requirePermission(principal, 'apps', 'create', [tenantScope(principal.tenantId)]);
        const { name, roles = [], projects = [] } = request.body;
        const grants = await grantsFromSeedView(db, principal.tenantId, roles, projects);
        const created = await db.transaction().execute(async (trx) => {
          const { row, secret } = await insertApp(trx, ctx.master.pepper, {
            tenantId: principal.tenantId,
            name,
            createdBy: principal.displayName,
          });
          for (const grant of grants) {
            const rule = { subjectType: 'app' as const, subjectId: row.id, ...grant };
            const ancestry = await authorizeGrant(trx, principal, rule);
            const ruleId = await insertRule(trx, principal.tenantId, rule, ancestry, principal.displayName);
            await publishRule(trx, principal.tenantId, ruleId);
          }
          await recordAudit(trx, {
            action: 'create',
            resource: { type: 'apps', id: row.id, name },
            result: 'success',
            details: { roles, projects },
            ...auditContext(request),
          });
          await publishSubject(trx, principal.tenantId, 'app', row.id);
          return { row, secret };
        });
        return reply.code(201).header('Cache-Control', 'no-store').send({
          id: created.row.id,
          name: created.row.name,
          clientId: created.row.client_id,
          secret: created.secret,
        });
      },
    );

    app.get(
      '/api/v1/apps/:appId',
      {
        schema: {
          tags,
          operationId: 'get_application_by_id',
          params: AppIdParams,
          response: { 200: Application, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        requirePermission(principal, 'apps', 'read', [tenantScope(principal.tenantId)]);
        return toApplication(await findApp(db, principal.tenantId, request.params.appId));
      },
    );

    app.patch(
      '/api/v1/apps/:appId',
      {
        schema: {
          tags,
          operationId: 'update_application_by_id',
          params: AppIdParams,
          body: ApplicationPatchRequest,
          response: { 200: Application, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        requirePermission(principal, 'apps', 'update', [tenantScope(principal.tenantId)]);
        const enabled = request.body.enabled;
        return db.transaction().execute(async (trx) => {
          const row = await findApp(trx, principal.tenantId, request.params.appId);
          const patch = await setSubjectEnabled(trx, request, APP, row, enabled);
          return toApplication(Object.assign({}, row, patch));
        });
      },
    );

    app.delete(
      '/api/v1/apps/:appId',
      {
        schema: {
          tags,
          operationId: 'delete_application_by_id',
          params: AppIdParams,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        requirePermission(principal, 'apps', 'delete', [tenantScope(principal.tenantId)]);
        await db.transaction().execute(async (trx) => {
          const row = await findApp(trx, principal.tenantId, request.params.appId);
          await deleteCredentialSubject(trx, request, APP, row);
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/apps/:appId/secret',
      {
        schema: {
          tags,
          operationId: 'regenerate_application_secret',
          params: AppIdParams,
          querystring: RotationQuery,
          response: { 200: SecretResponse, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        requirePermission(principal, 'apps', 'update', [tenantScope(principal.tenantId)]);
        const options = await rotationOptions(db, principal.tenantId, request.query);
        const secret = await db.transaction().execute(async (trx) => {
          const row = await findApp(trx, principal.tenantId, request.params.appId);
          return regenerateSubjectSecret(trx, request, ctx.master.pepper, APP, row, options);
        });
        return reply.header('Cache-Control', 'no-store').send({ secret });
      },
    );
  };
}
