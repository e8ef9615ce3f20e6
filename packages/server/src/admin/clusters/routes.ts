import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely, Selectable } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { hasPermission, requirePermission, type Principal } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { generateSecret, hashSecret } from '../../crypto/secrets.js';
import { TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import type { ClusterTable, Database } from '../../store/schema.js';
import { auditContext } from '../audit-actor.js';
import { errorResponses, iso, isoOrNull } from '../schemas.js';
import { publishChange } from '../../feed/publish.js';

type ClusterRow = Selectable<ClusterTable>;
const Params = Type.Object({ clusterUuid: Type.String({ maxLength: 64 }) });
const Cluster = Type.Object({
  uuid: Type.String(),
  tenantId: Type.Integer(),
  name: Type.String(),
  createdAt: Type.String(),
  domain: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  status: Type.Object({ state: Type.String() }),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  lastLiveness: Type.Union([Type.String(), Type.Null()]),
});
const Name = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: '^[A-Za-z0-9]([-.A-Za-z0-9]*[A-Za-z0-9])?$',
});
const ClusterCreationRequest = Type.Object({
  name: Name,
  domain: Type.Optional(Type.String({ maxLength: 2048, pattern: '^https?://' })),
  version: Type.Optional(Type.String({ maxLength: 64 })),
});
const InstallInfo = Type.Object({
  installationStr: Type.String(),
  repositoryName: Type.String(),
  chartRepoURL: Type.String(),
  clientSecret: Type.String(),
  clientId: Type.String(),
  issuer: Type.String(),
  jwksUrl: Type.String(),
});
const tags = ['Clusters'];

/** Live, waiting for its Cluster API, or silent for too long. */
function state(row: ClusterRow, now = Date.now()): string {
  if (row.last_seen === null) return 'WaitingToConnect';
  return now - row.last_seen < 5 * 60_000 ? 'Connected' : 'Disconnected';
}

/** The spec's `Cluster`. */
export const toCluster = (row: ClusterRow) => ({
  uuid: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  createdAt: iso(row.created_at),
  domain: row.domain,
  version: row.version,
  status: { state: row.status ?? state(row) },
  updatedAt: iso(row.updated_at),
  lastLiveness: isoOrNull(row.last_seen),
});

async function findCluster(
  db: Kysely<Database>,
  p: Principal,
  raw: string,
  action: 'read' | 'update' | 'delete',
) {
  const row = /^[0-9a-f-]{36}$/i.test(raw)
    ? await db
        .selectFrom('clusters')
        .selectAll()
        .where('tenant_id', '=', p.tenantId)
        .where('id', '=', raw.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw new TesseraError('NOT_FOUND', `cluster ${raw.slice(0, 64)} not found`);
  requirePermission(p, 'cluster', action, [
    { type: 'cluster', id: row.id },
    { type: 'tenant', id: String(p.tenantId) },
  ]);
  return row;
}

/** `/api/v1/clusters`: each cluster runs a Cluster API at its `domain` and logs in with its own secret. */
export function clusterRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.get(
      '/api/v1/clusters',
      {
        schema: {
          tags,
          operationId: 'get_clusters',
          response: { 200: Type.Array(Cluster), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const rows = await db
          .selectFrom('clusters')
          .selectAll()
          .where('tenant_id', '=', p.tenantId)
          .orderBy('name')
          .execute();
        return rows
          .filter((r) =>
            hasPermission(p, 'cluster', 'read', [
              { type: 'cluster', id: r.id },
              { type: 'tenant', id: String(p.tenantId) },
            ]),
          )
          .map((r) => toCluster(r));
      },
    );

    app.post(
      '/api/v1/clusters',
      {
        schema: {
          tags,
          operationId: 'create_cluster',
          body: ClusterCreationRequest,
          response: { 201: Cluster, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        requirePermission(p, 'cluster', 'create', [{ type: 'tenant', id: String(p.tenantId) }]);
        const body = request.body;
        const row = await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('clusters')
            .select('id')
            .where('tenant_id', '=', p.tenantId)
            .where('name', '=', body.name)
            .executeTakeFirst();
          if (taken)
            throw new TesseraError('CONFLICT', `name: a cluster named "${body.name}" already exists`);
          const secret = generateSecret();
          const now = Date.now();
          const created: ClusterRow = {
            id: uuidv4(),
            tenant_id: p.tenantId,
            name: body.name,
            domain: body.domain ?? null,
            version: body.version ?? null,
            status: null,
            last_seen: null,
            secret_hash: hashSecret(ctx.master.pepper, secret),
            secret_enc: ctx.master.seal(secret),
            created_by: p.displayName,
            created_at: now,
            updated_at: now,
          };
          await trx.insertInto('clusters').values(created).execute();
          await recordAudit(trx, {
            action: 'create',
            resource: { type: 'cluster', id: created.id, name: created.name },
            result: 'success',
            ...auditContext(request),
          });
          return created;
        });
        return reply.code(201).send(toCluster(row));
      },
    );

    app.get(
      '/api/v1/clusters/:clusterUuid',
      {
        schema: {
          tags,
          operationId: 'get_cluster_by_uuid',
          params: Params,
          response: { 200: Cluster, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) =>
        toCluster(await findCluster(db, principalOf(request), request.params.clusterUuid, 'read')),
    );

    app.put(
      '/api/v1/clusters/:clusterUuid',
      {
        schema: {
          tags,
          operationId: 'updateCluster',
          params: Params,
          body: Type.Object({
            name: Name,
            domain: Type.Optional(Type.String({ maxLength: 2048, pattern: '^https?://' })),
          }),
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await findCluster(db, p, request.params.clusterUuid, 'update');
        const { name, domain } = request.body;
        await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('clusters')
            .select('id')
            .where('tenant_id', '=', p.tenantId)
            .where('name', '=', name)
            .where('id', '!=', row.id)
            .executeTakeFirst();
          if (taken) throw new TesseraError('CONFLICT', `name: a cluster named "${name}" already exists`);
          await trx
            .updateTable('clusters')
            .set({ name, ...(domain === undefined ? {} : { domain }), updated_at: Date.now() })
            .where('id', '=', row.id)
            .execute();
          await publishChange(trx, p.tenantId, { kind: 'resync' });
          await recordAudit(trx, {
            action: 'update',
            resource: { type: 'cluster', id: row.id, name },
            result: 'success',
            ...auditContext(request),
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/api/v1/clusters/:clusterUuid',
      {
        schema: {
          tags,
          operationId: 'delete_cluster',
          params: Params,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await findCluster(db, p, request.params.clusterUuid, 'delete');
        await db.transaction().execute(async (trx) => {
          const used = await trx
            .selectFrom('departments')
            .select('name')
            .where('tenant_id', '=', p.tenantId)
            .where('cluster_id', '=', row.id)
            .executeTakeFirst();
          if (used)
            throw new TesseraError(
              'INVALID_REQUEST',
              `clusterUuid: cluster "${row.name}" still has departments (e.g. "${used.name}")`,
            );
          await trx
            .deleteFrom('access_rules')
            .where('tenant_id', '=', p.tenantId)
            .where('scope_type', '=', 'cluster')
            .where('scope_id', '=', row.id)
            .execute();
          await trx.deleteFrom('clusters').where('id', '=', row.id).execute();
          await publishChange(trx, p.tenantId, { kind: 'resync' });
          await recordAudit(trx, {
            action: 'delete',
            resource: { type: 'cluster', id: row.id, name: row.name },
            result: 'success',
            ...auditContext(request),
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/clusters/:clusterUuid/cluster-install-info',
      {
        schema: {
          tags,
          operationId: 'get_cluster_install_info_by_uuid',
          params: Params,
          response: { 200: InstallInfo, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await findCluster(db, p, request.params.clusterUuid, 'update');
        const secret = ctx.master.open(row.secret_enc);
        const issuer = ctx.issuer();
        const port = row.domain
          ? new URL(row.domain).port || (row.domain.startsWith('https') ? '443' : '80')
          : '8081';
        return reply.header('Cache-Control', 'no-store').send({
          installationStr: `PORT=${port} TESSERA_CONTROL_PLANE_URL=${issuer} TESSERA_CLUSTER_UUID=${row.id} TESSERA_CLUSTER_SECRET=${secret} npm run cluster`,
          repositoryName: 'tessera',
          chartRepoURL: issuer,
          clientSecret: secret,
          clientId: row.id,
          issuer,
          jwksUrl: `${issuer}/.well-known/jwks.json`,
        });
      },
    );
  };
}
