import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { roleById, type Action } from '@tessera/guard';
import type { Principal } from '../../auth/principal.js';
import type { Context } from '../../context.js';
import { principalOf } from '../../http/authenticated.js';
import { presentRules } from '../access-rules/present.js';
import { filterReadable } from '../access-rules/routes.js';
import { AccessRule } from '../access-rules/schemas.js';
import { describeResourceType, SPEC_RESOURCE_TYPES } from '../roles/resource-types.js';
import { errorResponses } from '../schemas.js';

const ACTIONS: readonly Action[] = ['create', 'read', 'update', 'delete'];
const Scopes = Type.Object({
  system: Type.Boolean(),
  tenants: Type.Array(Type.String()),
  clusters: Type.Array(Type.String()),
  departments: Type.Array(Type.String()),
  projects: Type.Array(Type.String()),
});
const tags = ['Authorization'];

/** The caller's effective permissions per resource type, over all their rules. */
export function effectivePermissions(p: Principal): Map<string, Set<Action>> {
  const out = new Map<string, Set<Action>>();
  for (const rule of p.rules) {
    for (const perm of roleById(rule.roleId)?.permissions ?? []) {
      const set = out.get(perm.resourceType) ?? new Set<Action>();
      for (const a of perm.actions) set.add(a);
      out.set(perm.resourceType, set);
    }
  }
  return out;
}

/** Where the caller may do each action on a resource type: the scopes of the rules that allow it. */
export function permittedScopes(p: Principal, resourceType: string) {
  type Scopes = {
    system: boolean;
    tenants: string[];
    clusters: string[];
    departments: string[];
    projects: string[];
  };
  const result = {} as Record<Action, Scopes>;
  for (const action of ACTIONS) {
    const scopes = {
      system: false,
      tenants: [] as string[],
      clusters: [] as string[],
      departments: [] as string[],
      projects: [] as string[],
    };
    for (const rule of p.rules) {
      const allows = roleById(rule.roleId)?.permissions.some(
        (x) => x.resourceType === resourceType && x.actions.includes(action),
      );
      if (!allows) continue;
      if (rule.scopeType === 'system') scopes.system = true;
      else {
        const bucket = {
          tenant: scopes.tenants,
          cluster: scopes.clusters,
          department: scopes.departments,
          project: scopes.projects,
        }[rule.scopeType];
        if (!bucket.includes(rule.scopeId)) bucket.push(rule.scopeId);
      }
    }
    result[action] = scopes;
  }
  return result;
}

/** `/api/v1/authorization/{permissions,permitted-scopes,me/access-rules}`: what the caller may do. */
export function authorizationReadRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  const myRules = (p: Principal) =>
    db
      .selectFrom('access_rules')
      .where('tenant_id', '=', p.tenantId)
      .where('subject_type', '=', p.subjectType)
      .where('subject_id', '=', p.ruleSubjectId);
  return async (app) => {
    app.get(
      '/api/v1/authorization/permissions',
      {
        schema: {
          tags,
          operationId: 'get_permissions',
          response: {
            200: Type.Array(
              Type.Object({
                resourceType: Type.String(),
                displayName: Type.String(),
                groupId: Type.String(),
                actions: Type.Array(Type.String()),
              }),
            ),
            ...errorResponses(401),
          },
        },
      },
      async (request) => {
        const perms = effectivePermissions(principalOf(request));
        return [...perms]
          .filter(([rt]) => SPEC_RESOURCE_TYPES.has(rt))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([resourceType, actions]) => ({
            resourceType,
            ...describeResourceType(resourceType),
            actions: ACTIONS.filter((a) => actions.has(a)),
          }));
      },
    );

    app.post(
      '/api/v1/authorization/permitted-scopes',
      {
        schema: {
          tags,
          operationId: 'get_permitted_scopes',
          body: Type.Object({
            resourceType: Type.String({ maxLength: 64 }),
            action: Type.Optional(
              Type.Union([
                Type.Literal('create'),
                Type.Literal('read'),
                Type.Literal('update'),
                Type.Literal('delete'),
                Type.Null(),
              ]),
            ),
          }),
          response: {
            200: Type.Object({ create: Scopes, read: Scopes, update: Scopes, delete: Scopes }),
            ...errorResponses(400, 401),
          },
        },
      },
      async (request) => permittedScopes(principalOf(request), request.body.resourceType),
    );

    const MeQuery = Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      offset: Type.Optional(Type.Integer({ minimum: 0 })),
      search: Type.Optional(Type.String({ maxLength: 256 })),
    });
    app.get(
      '/api/v1/authorization/me/access-rules',
      {
        schema: {
          tags,
          operationId: 'get_me_access_rules',
          querystring: MeQuery,
          response: {
            200: Type.Object({
              accessRules: Type.Object({
                totalRecords: Type.Integer(),
                displayRecords: Type.Integer(),
                accessRules: Type.Array(AccessRule),
              }),
            }),
            ...errorResponses(400, 401),
          },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { offset = 0, limit = 50 } = request.query;
        const rows = await myRules(p).selectAll().orderBy('id').execute();
        const page = rows.slice(offset, offset + limit);
        return {
          accessRules: {
            totalRecords: rows.length,
            displayRecords: page.length,
            accessRules: await presentRules(db, page),
          },
        };
      },
    );

    app.get(
      '/api/v1/authorization/me/access-rules/count',
      {
        schema: {
          tags,
          operationId: 'count_me_access_rules',
          response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const { count } = await myRules(principalOf(request))
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow();
        return { count: Number(count) };
      },
    );

    app.get(
      '/api/v1/authorization/access-rules/count',
      {
        schema: {
          tags,
          operationId: 'count_access_rules',
          response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const rows = await db
          .selectFrom('access_rules')
          .select(['scope_type', 'scope_id'])
          .where('tenant_id', '=', p.tenantId)
          .execute();
        return { count: (await filterReadable(db, p, rows)).length };
      },
    );
  };
}
