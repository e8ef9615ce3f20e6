import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ScopeRef } from '@tessera/guard';
import type { Kysely } from 'kysely';
import { hasPermission, requirePermission, type Principal } from '../../auth/principal.js';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { invalidField, TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { ancestryOf } from '../../scopes/ancestry.js';
import type { Database } from '../../store/schema.js';
import { auditContext } from '../audit-actor.js';
import { filterWhere, parseFilters, sortColumn, type FieldSpec } from '../list-query.js';
import { errorResponses } from '../schemas.js';
import { authorizeGrant, insertRule, type NewRule } from './grant.js';
import { publishRule } from '../../feed/publish.js';
import { presentRule, presentRules } from './present.js';
import {
  AccessRule,
  AccessRuleCreationFields,
  AccessRuleIdParams,
  AccessRuleList,
  AccessRuleListQuery,
} from './schemas.js';

const tags = ['Access rules'];

/** The spec's access-rule `filterBy` / `sortBy` fields that are stored columns. */
const RULE_FIELDS: Record<string, FieldSpec> = {
  subjectId: { column: 'subject_id', kind: 'text' },
  subjectType: { column: 'subject_type', kind: 'text' },
  roleId: { column: 'role_id', kind: 'number' },
  scopeId: { column: 'scope_id', kind: 'text' },
  scopeType: { column: 'scope_type', kind: 'text' },
  createdBy: { column: 'created_by', kind: 'text' },
  createdAt: { column: 'created_at', kind: 'instant' },
};

/** `/api/v1/authorization/access-rules`: who holds which role where. */
export function accessRuleRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.post(
      '/api/v1/authorization/access-rules',
      {
        schema: {
          tags,
          operationId: 'create_access_rule',
          body: AccessRuleCreationFields,
          response: { 201: AccessRule, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const body = request.body;
        const rule: NewRule = {
          subjectType: body.subjectType,
          subjectId: body.subjectType === 'user' ? body.subjectId.trim().toLowerCase() : body.subjectId,
          roleId: body.roleId,
          scope: { type: body.scopeType, id: body.scopeId },
        };
        await requireSubjectExists(db, principal.tenantId, rule);
        const row = await db.transaction().execute(async (trx) => {
          const ancestry = await authorizeGrant(trx, principal, rule);
          const id = await insertRule(trx, principal.tenantId, rule, ancestry, principal.displayName);
          await publishRule(trx, principal.tenantId, id);
          await recordAudit(trx, {
            action: 'create',
            resource: { type: 'access_rules', id: String(id), name: `${rule.subjectType}:${rule.subjectId}` },
            result: 'success',
            details: { roleId: rule.roleId, scopeType: rule.scope.type, scopeId: rule.scope.id },
            ...auditContext(request),
          });
          return trx.selectFrom('access_rules').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        });
        return reply.code(201).send(await presentRule(db, row));
      },
    );

    app.get(
      '/api/v1/authorization/access-rules',
      {
        schema: {
          tags,
          operationId: 'get_access_rules',
          querystring: AccessRuleListQuery,
          response: { 200: AccessRuleList, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const q = request.query;
        let query = db.selectFrom('access_rules').selectAll().where('tenant_id', '=', principal.tenantId);
        if (q.subjectType) query = query.where('subject_type', '=', q.subjectType);
        if (q.subjectIds)
          query = query.where(
            'subject_id',
            'in',
            q.subjectIds.split(',').map((s) => s.trim()),
          );
        if (q.scopeType) query = query.where('scope_type', '=', q.scopeType);
        if (q.scopeId) query = query.where('scope_id', '=', q.scopeId);
        if (q.roleId) query = query.where('role_id', '=', q.roleId);
        if (q.subjectId) query = query.where('subject_id', '=', q.subjectId);
        query = query.where(await filterWhere(ctx.store, parseFilters(q.filterBy, RULE_FIELDS), RULE_FIELDS));
        const sort = sortColumn(q.sortBy, RULE_FIELDS, 'id') as 'id';
        const rows = await query
          .orderBy(sort, q.sortOrder ?? 'asc')
          .orderBy('id', q.sortOrder ?? 'asc')
          .execute();
        const visible = await filterReadable(db, principal, rows);
        const page = visible.slice(q.offset, q.offset + q.limit);
        return {
          totalRecords: visible.length,
          displayRecords: page.length,
          accessRules: await presentRules(db, page),
        };
      },
    );

    app.get(
      '/api/v1/authorization/access-rules/:accessRuleId',
      {
        schema: {
          tags,
          operationId: 'get_access_rule',
          params: AccessRuleIdParams,
          response: { 200: AccessRule, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const row = await findRule(db, principal, request.params.accessRuleId, 'read');
        return presentRule(db, row);
      },
    );

    app.delete(
      '/api/v1/authorization/access-rules/:accessRuleId',
      {
        schema: {
          tags,
          operationId: 'delete_access_rule',
          params: AccessRuleIdParams,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await db.transaction().execute(async (trx) => {
          const found = await findRule(trx, principal, request.params.accessRuleId, 'delete');
          await trx.deleteFrom('access_rules').where('id', '=', found.id).execute();
          await publishRule(trx, principal.tenantId, found.id);
          await recordAudit(trx, {
            action: 'delete',
            resource: {
              type: 'access_rules',
              id: String(found.id),
              name: `${found.subject_type}:${found.subject_id}`,
            },
            result: 'success',
            ...auditContext(request),
          });
        });
        return reply.code(204).send(null);
      },
    );
  };
}

async function findRule(db: Kysely<Database>, principal: Principal, id: number, action: 'read' | 'delete') {
  const row = await db
    .selectFrom('access_rules')
    .selectAll()
    .where('tenant_id', '=', principal.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new TesseraError('NOT_FOUND', `access rule ${id} not found`);
  requirePermission(
    principal,
    'access_rules',
    action,
    await ancestryOf(db, principal.tenantId, scopeOf(row)),
  );
  return row;
}

export async function filterReadable<T extends { scope_type: ScopeRef['type']; scope_id: string }>(
  db: Kysely<Database>,
  principal: Principal,
  rows: T[],
): Promise<T[]> {
  const readable = new Map<string, boolean>();
  const out: T[] = [];
  for (const row of rows) {
    const key = `${row.scope_type}/${row.scope_id}`;
    if (!readable.has(key)) {
      const ancestry = await ancestryOf(db, principal.tenantId, scopeOf(row)).catch(() => [scopeOf(row)]);
      readable.set(key, hasPermission(principal, 'access_rules', 'read', ancestry));
    }
    if (readable.get(key)) out.push(row);
  }
  return out;
}

const scopeOf = (row: { scope_type: ScopeRef['type']; scope_id: string }): ScopeRef => ({
  type: row.scope_type,
  id: row.scope_id,
});

/** Rules for applications and users must name ones that exist; groups come from identity providers. */
async function requireSubjectExists(db: Kysely<Database>, tenantId: number, rule: NewRule): Promise<void> {
  if (rule.subjectType === 'app') {
    const app = await db
      .selectFrom('applications')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', rule.subjectId)
      .executeTakeFirst();
    if (!app) throw invalidField('subjectId', `application ${rule.subjectId.slice(0, 64)} does not exist`);
  } else if (rule.subjectType === 'user') {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('email', '=', rule.subjectId)
      .executeTakeFirst();
    if (!user) throw invalidField('subjectId', `user ${rule.subjectId.slice(0, 64)} does not exist`);
  } else if (rule.subjectType === 'service-account') {
    const account = await db
      .selectFrom('service_accounts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', rule.subjectId)
      .executeTakeFirst();
    if (!account)
      throw invalidField('subjectId', `service account ${rule.subjectId.slice(0, 64)} does not exist`);
  }
}
