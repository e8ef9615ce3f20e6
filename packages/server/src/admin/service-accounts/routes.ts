import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely, Selectable } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { requirePermission, type Principal } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { rotateSecret } from '../../credentials/rotation.js';
import { RotationQuery, rotationOptions } from '../../credentials/rotation-query.js';
import { TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { tenantScope } from '../../scopes/ancestry.js';
import type { Database, ServiceAccountTable } from '../../store/schema.js';
import { auditContext } from '../audit-actor.js';
import { errorResponses, iso, isoOrNull } from '../schemas.js';
import { publishSubject } from '../../feed/publish.js';
import {
  deleteCredentialSubject,
  regenerateSubjectSecret,
  setSubjectEnabled,
} from '../credential-subjects.js';

type Row = Selectable<ServiceAccountTable>;
const Params = Type.Object({ serviceAccountId: Type.String({ maxLength: 64 }) });
const Name = Type.String({ pattern: '^[a-z][-_a-z0-9]*[a-z0-9]$', minLength: 2, maxLength: 63 });
const ServiceAccount = Type.Object({
  id: Type.String(),
  name: Type.String(),
  clientId: Type.String(),
  enabled: Type.Boolean(),
  tenantId: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  lastLogin: Type.Union([Type.String(), Type.Null()]),
});
const tags = ['Service accounts'];
const SERVICE_ACCOUNT = { type: 'service-account', auditType: 'service-account' } as const;

const present = (r: Row) => ({
  id: r.id,
  name: r.name,
  clientId: r.client_id,
  enabled: r.enabled === 1,
  tenantId: String(r.tenant_id),
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  lastLogin: isoOrNull(r.last_login),
});

async function find(db: Kysely<Database>, p: Principal, id: string, action: 'read' | 'update' | 'delete') {
  requirePermission(p, 'service-account', action, [tenantScope(p.tenantId)]);
  const row = await db
    .selectFrom('service_accounts')
    .selectAll()
    .where('tenant_id', '=', p.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new TesseraError('NOT_FOUND', `service account ${id.slice(0, 64)} not found`);
  return row;
}

/** `/api/v1/service-accounts`: machine identities that log in with `client_credentials`. */
export function serviceAccountRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.get(
      '/api/v1/service-accounts',
      {
        schema: {
          tags,
          operationId: 'get_service_accounts',
          response: { 200: Type.Array(ServiceAccount), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'service-account', 'read', [tenantScope(p.tenantId)]);
        return (
          await db
            .selectFrom('service_accounts')
            .selectAll()
            .where('tenant_id', '=', p.tenantId)
            .orderBy('name')
            .execute()
        ).map(present);
      },
    );

    app.post(
      '/api/v1/service-accounts',
      {
        schema: {
          tags,
          operationId: 'create_service_account',
          body: Type.Object({ name: Name }),
          response: {
            201: Type.Object({
              id: Type.String(),
              name: Type.String(),
              clientId: Type.String(),
              clientSecret: Type.String(),
            }),
            ...errorResponses(400, 401, 403, 409),
          },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        requirePermission(p, 'service-account', 'create', [tenantScope(p.tenantId)]);
        const { name } = request.body;
        const created = await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('service_accounts')
            .select('id')
            .where('tenant_id', '=', p.tenantId)
            .where('name', '=', name)
            .executeTakeFirst();
          if (taken)
            throw new TesseraError('CONFLICT', `name: a service account named "${name}" already exists`);
          const id = uuidv4();
          const now = Date.now();
          await trx
            .insertInto('service_accounts')
            .values({
              id,
              tenant_id: p.tenantId,
              name,
              client_id: id,
              enabled: 1,
              tokens_valid_after: 0,
              last_login: null,
              created_by: p.displayName,
              created_at: now,
              updated_at: now,
            })
            .execute();
          const secret = await rotateSecret(
            trx,
            ctx.master.pepper,
            p.tenantId,
            'service-account',
            id,
            { overlapSec: 0 },
            now,
          );
          await publishSubject(trx, p.tenantId, 'service-account', id);
          await recordAudit(trx, {
            action: 'create',
            resource: { type: 'service-account', id, name },
            result: 'success',
            ...auditContext(request),
          });
          return { id, name, clientId: id, clientSecret: secret };
        });
        return reply.code(201).header('Cache-Control', 'no-store').send(created);
      },
    );

    app.get(
      '/api/v1/service-accounts/:serviceAccountId',
      {
        schema: {
          tags,
          operationId: 'get_service_account_by_id',
          params: Params,
          response: { 200: ServiceAccount, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) =>
        present(await find(db, principalOf(request), request.params.serviceAccountId, 'read')),
    );

    app.patch(
      '/api/v1/service-accounts/:serviceAccountId',
      {
        schema: {
          tags,
          operationId: 'update_service_account_by_id',
          params: Params,
          body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
          response: errorResponses(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(db, p, request.params.serviceAccountId, 'update');
        await db
          .transaction()
          .execute((trx) => setSubjectEnabled(trx, request, SERVICE_ACCOUNT, row, request.body.enabled));
        return reply.code(200).send();
      },
    );

    app.delete(
      '/api/v1/service-accounts/:serviceAccountId',
      {
        schema: {
          tags,
          operationId: 'delete_service_account_by_id',
          params: Params,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(db, p, request.params.serviceAccountId, 'delete');
        await db.transaction().execute(async (trx) => {
          await deleteCredentialSubject(trx, request, SERVICE_ACCOUNT, row);
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/service-accounts/:serviceAccountId/secret',
      {
        schema: {
          tags,
          operationId: 'regenerate_service_account_secret',
          params: Params,
          querystring: RotationQuery,
          response: {
            200: Type.Object({ clientSecret: Type.String() }),
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(db, p, request.params.serviceAccountId, 'update');
        const options = await rotationOptions(db, p.tenantId, request.query);
        const clientSecret = await db.transaction().execute((trx) =>
          regenerateSubjectSecret(trx, request, ctx.master.pepper, SERVICE_ACCOUNT, row, options, {
            ...options,
          }),
        );
        return reply.header('Cache-Control', 'no-store').send({ clientSecret });
      },
    );
  };
}
