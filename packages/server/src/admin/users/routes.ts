import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely, Selectable } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { requirePermission, type Principal } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { generatePassword, hashPassword } from '../../crypto/passwords.js';
import { TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { tenantScope } from '../../scopes/ancestry.js';
import type { Database, UserTable } from '../../store/schema.js';
import { auditContext } from '../audit-actor.js';
import { filterWhere, ListQuery, paging, parseFilters, sortColumn, type FieldSpec } from '../list-query.js';
import { errorResponses, iso, isoOrNull } from '../schemas.js';
import { publishSubject } from '../../feed/publish.js';
import { deleteRulesOf, deleteSecrets } from '../subject-cleanup.js';

type UserRow = Selectable<UserTable>;
const Params = Type.Object({ userId: Type.String({ maxLength: 64 }) });
const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  lastLogin: Type.Union([Type.String(), Type.Null()]),
  isLocal: Type.Boolean(),
  groups: Type.Array(Type.String()),
});
const FIELDS: Record<string, FieldSpec> = {
  username: {
    column: 'email',
    kind: 'text',
    lowercase: true,
    trigram: { fts: 'users_email_fts', ftsKey: 'users.rowid', key: 'users.id' },
  },
  createdBy: { column: 'created_by', kind: 'text' },
  lastLogin: { column: 'last_login', kind: 'instant' },
  creationTime: { column: 'created_at', kind: 'instant' },
  lastUpdated: { column: 'updated_at', kind: 'instant' },
};
const tags = ['Users'];

const present = (r: UserRow) => ({
  id: r.id,
  username: r.email,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  lastLogin: isoOrNull(r.last_login),
  isLocal: r.idp_alias === null,
  groups: JSON.parse(r.groups) as string[],
});

async function find(db: Kysely<Database>, p: Principal, id: string, action: 'read' | 'update' | 'delete') {
  requirePermission(p, 'users', action, [tenantScope(p.tenantId)]);
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', p.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new TesseraError('NOT_FOUND', `user ${id.slice(0, 64)} not found`);
  return row;
}

/** `/api/v1/users`: local users. New users and reset passwords get a temporary password. */
export function userRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  const listWhere = async (p: Principal, q: { filterBy?: string[]; search?: string }) => {
    const filters = parseFilters(q.filterBy, FIELDS);
    if (q.search) filters.push({ field: 'username', op: '=@', value: q.search });
    return db
      .selectFrom('users')
      .where('tenant_id', '=', p.tenantId)
      .where(await filterWhere(ctx.store, filters, FIELDS));
  };
  return async (app) => {
    app.get(
      '/api/v1/users',
      {
        schema: {
          tags,
          operationId: 'get_users',
          querystring: ListQuery,
          response: { 200: Type.Array(User), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'users', 'read', [tenantScope(p.tenantId)]);
        const q = request.query;
        const { offset, limit } = paging(q);
        const rows = await (
          await listWhere(p, q)
        )
          .selectAll()
          .orderBy(sortColumn(q.sortBy, FIELDS, 'email') as 'email', q.sortOrder ?? 'asc')
          .orderBy('id', q.sortOrder ?? 'asc')
          .offset(offset)
          .limit(limit)
          .execute();
        return rows.map(present);
      },
    );

    app.get(
      '/api/v1/users/count',
      {
        schema: {
          tags,
          operationId: 'count_users',
          querystring: Type.Pick(ListQuery, ['filterBy', 'search']),
          response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'users', 'read', [tenantScope(p.tenantId)]);
        const { count } = await (
          await listWhere(p, request.query)
        )
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow();
        return { count: Number(count) };
      },
    );

    app.post(
      '/api/v1/users',
      {
        schema: {
          tags,
          operationId: 'create_user',
          body: Type.Object({
            email: Type.String({
              pattern: '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$',
              maxLength: 254,
            }),
            resetPassword: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
            notify: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
          }),
          response: {
            201: Type.Object({ id: Type.String(), username: Type.String(), tempPassword: Type.String() }),
            ...errorResponses(400, 401, 403, 409),
          },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        requirePermission(p, 'users', 'create', [tenantScope(p.tenantId)]);
        const email = request.body.email.trim().toLowerCase();
        const tempPassword = generatePassword();
        const hash = await hashPassword(tempPassword);
        const id = await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('users')
            .select('id')
            .where('tenant_id', '=', p.tenantId)
            .where('email', '=', email)
            .executeTakeFirst();
          if (taken) throw new TesseraError('CONFLICT', `email: a user ${email} already exists`);
          const now = Date.now();
          const userId = uuidv4();
          await trx
            .insertInto('users')
            .values({
              id: userId,
              tenant_id: p.tenantId,
              email,
              name: null,
              password_hash: hash,
              must_change_password: 1,
              enabled: 1,
              tokens_valid_after: 0,
              last_login: null,
              created_by: p.displayName,
              created_at: now,
              updated_at: now,
            })
            .execute();
          await publishSubject(trx, p.tenantId, 'user', userId);
          await recordAudit(trx, {
            action: 'create',
            resource: { type: 'users', id: userId, name: email },
            result: 'success',
            ...auditContext(request),
          });
          return userId;
        });
        return reply
          .code(201)
          .header('Cache-Control', 'no-store')
          .send({ id, username: email, tempPassword });
      },
    );

    app.get(
      '/api/v1/users/:userId',
      {
        schema: {
          tags,
          operationId: 'get_user_by_id',
          params: Params,
          response: { 200: User, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => present(await find(db, principalOf(request), request.params.userId, 'read')),
    );

    app.delete(
      '/api/v1/users/:userId',
      {
        schema: {
          tags,
          operationId: 'delete_user_by_id',
          params: Params,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(db, p, request.params.userId, 'delete');
        if (row.id === p.claims.sub)
          throw new TesseraError('INVALID_REQUEST', 'userId: you cannot delete yourself');
        await db.transaction().execute(async (trx) => {
          const keys = await trx
            .selectFrom('access_keys')
            .select(['id', 'client_id'])
            .where('user_id', '=', row.id)
            .execute();
          await deleteSecrets(
            trx,
            'access-key',
            keys.map((k) => k.id),
          );
          await trx.deleteFrom('access_keys').where('user_id', '=', row.id).execute();
          await deleteRulesOf(trx, p.tenantId, 'user', row.email);
          await trx.deleteFrom('users').where('id', '=', row.id).execute();
          await publishSubject(trx, p.tenantId, 'user', row.id);
          // Clusters know access keys by client id, as the tokens minted from them carry it.
          for (const key of keys) await publishSubject(trx, p.tenantId, 'access-key', key.client_id);
          await recordAudit(trx, {
            action: 'delete',
            resource: { type: 'users', id: row.id, name: row.email },
            result: 'success',
            ...auditContext(request),
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/users/:userId/password',
      {
        schema: {
          tags,
          operationId: 'reset_user_password',
          params: Params,
          response: {
            200: Type.Object({ tempPassword: Type.String() }),
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(db, p, request.params.userId, 'update');
        const tempPassword = generatePassword();
        const hash = await hashPassword(tempPassword);
        await db.transaction().execute(async (trx) => {
          const now = Date.now();
          await trx
            .updateTable('users')
            .set({ password_hash: hash, must_change_password: 1, tokens_valid_after: now, updated_at: now })
            .where('id', '=', row.id)
            .execute();
          await publishSubject(trx, p.tenantId, 'user', row.id);
          await recordAudit(trx, {
            action: 'reset-password',
            resource: { type: 'users', id: row.id, name: row.email },
            result: 'success',
            ...auditContext(request),
          });
        });
        return reply.header('Cache-Control', 'no-store').send({ tempPassword });
      },
    );

    app.post(
      '/api/v1/users/:userId/logout',
      {
        schema: {
          tags,
          operationId: 'logout_user',
          params: Params,
          response: errorResponses(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const row = await find(db, p, request.params.userId, 'update');
        await db.transaction().execute(async (trx) => {
          const now = Date.now();
          // Every access and refresh token minted before now fails from the next request on.
          await trx
            .updateTable('users')
            .set({ tokens_valid_after: now, updated_at: now })
            .where('id', '=', row.id)
            .execute();
          await publishSubject(trx, p.tenantId, 'user', row.id);
          await recordAudit(trx, {
            action: 'sign-out',
            resource: { type: 'users', id: row.id, name: row.email },
            result: 'success',
            ...auditContext(request),
          });
        });
        return reply.code(200).send();
      },
    );
  };
}
