import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import type { Principal } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { rotateSecret } from '../../credentials/rotation.js';
import { RotationQuery, rotationOptions } from '../../credentials/rotation-query.js';
import { TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import type { Database } from '../../store/schema.js';
import { auditContext } from '../audit-actor.js';
import { errorResponses, iso, isoOrNull } from '../schemas.js';
import { deleteCredentialSubject, regenerateSubjectSecret } from '../credential-subjects.js';
import { publishSubject } from '../../feed/publish.js';
import { ACCESS_KEY_PREFIX } from '@tessera/guard';

const Params = Type.Object({ accessKeyId: Type.String({ maxLength: 64 }) });
const AccessKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  clientId: Type.String(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  lastLogin: Type.Union([Type.String(), Type.Null()]),
});
const tags = ['Access keys'];
const ACCESS_KEY = { type: 'access-key', auditType: 'access-keys' } as const;

/** Access keys belong to the calling user; other subjects have none. */
function ownerOf(p: Principal): string {
  if (p.subjectType !== 'user')
    throw new TesseraError('FORBIDDEN', "access keys belong to users; this token is not a user's");
  return p.claims.sub;
}

async function find(db: Kysely<Database>, p: Principal, id: string) {
  const row = await db
    .selectFrom('access_keys')
    .selectAll()
    .where('tenant_id', '=', p.tenantId)
    .where('user_id', '=', ownerOf(p))
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new TesseraError('NOT_FOUND', `access key ${id.slice(0, 64)} not found`);
  return row;
}

const present = (r: {
  id: string;
  name: string;
  client_id: string;
  created_at: number;
  last_login: number | null;
}) => ({
  id: r.id,
  name: r.name,
  clientId: r.client_id,
  createdAt: iso(r.created_at),
  lastLogin: isoOrNull(r.last_login),
});

/**
 * `/api/v1/access-keys`: a user's personal credentials for `client_credentials`. A token minted
 * from one acts with the user's permissions and dies with the key.
 */
export function accessKeyRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.get(
      '/api/v1/access-keys',
      {
        schema: {
          tags,
          operationId: 'get_access_keys',
          response: { 200: Type.Object({ accessKeys: Type.Array(AccessKey) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const rows = await db
          .selectFrom('access_keys')
          .selectAll()
          .where('tenant_id', '=', p.tenantId)
          .where('user_id', '=', ownerOf(p))
          .orderBy('name')
          .execute();
        return { accessKeys: rows.map(present) };
      },
    );

    app.post(
      '/api/v1/access-keys',
      {
        schema: {
          tags,
          operationId: 'create_access_key1',
          body: Type.Object({
            name: Type.String({ pattern: '^[a-z][-_a-z0-9]*[a-z0-9]$', minLength: 2, maxLength: 63 }),
          }),
          response: {
            201: Type.Object({
              id: Type.String(),
              clientId: Type.String(),
              name: Type.String(),
              clientSecret: Type.String(),
              createdAt: Type.String(),
            }),
            ...errorResponses(400, 401, 403, 409),
          },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const userId = ownerOf(p);
        const { name } = request.body;
        const created = await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('access_keys')
            .select('id')
            .where('tenant_id', '=', p.tenantId)
            .where('user_id', '=', userId)
            .where('name', '=', name)
            .executeTakeFirst();
          if (taken)
            throw new TesseraError('CONFLICT', `name: you already have an access key named "${name}"`);
          const id = uuidv4();
          const now = Date.now();
          const clientId = `${ACCESS_KEY_PREFIX}${id}`;
          await trx
            .insertInto('access_keys')
            .values({
              id,
              tenant_id: p.tenantId,
              user_id: userId,
              name,
              client_id: clientId,
              tokens_valid_after: 0,
              last_login: null,
              created_at: now,
            })
            .execute();
          const secret = await rotateSecret(
            trx,
            ctx.master.pepper,
            p.tenantId,
            'access-key',
            id,
            { overlapSec: 0 },
            now,
          );
          await publishSubject(trx, p.tenantId, 'access-key', clientId);
          await recordAudit(trx, {
            action: 'create',
            resource: { type: 'access-keys', id, name },
            result: 'success',
            ...auditContext(request),
          });
          return { id, clientId, name, clientSecret: secret, createdAt: iso(now) };
        });
        return reply.code(201).header('Cache-Control', 'no-store').send(created);
      },
    );

    app.get(
      '/api/v1/access-keys/:accessKeyId',
      {
        schema: {
          tags,
          operationId: 'get_access_key_by_id1',
          params: Params,
          response: { 200: AccessKey, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => present(await find(db, principalOf(request), request.params.accessKeyId)),
    );

    app.delete(
      '/api/v1/access-keys/:accessKeyId',
      {
        schema: {
          tags,
          operationId: 'delete_access_key_by_id',
          params: Params,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(db, p, request.params.accessKeyId);
        await db.transaction().execute((trx) => deleteCredentialSubject(trx, request, ACCESS_KEY, row));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/access-keys/:accessKeyId/secret',
      {
        schema: {
          tags,
          operationId: 'regenerate_access_key_secret',
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
        const row = await find(db, p, request.params.accessKeyId);
        const options = await rotationOptions(db, p.tenantId, request.query);
        const clientSecret = await db
          .transaction()
          .execute((trx) =>
            regenerateSubjectSecret(trx, request, ctx.master.pepper, ACCESS_KEY, row, options),
          );
        return reply.header('Cache-Control', 'no-store').send({ clientSecret });
      },
    );
  };
}
