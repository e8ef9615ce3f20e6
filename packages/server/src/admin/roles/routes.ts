import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PREDEFINED_ROLES, roleById, type Role } from '@tessera/guard';
import { requirePermission } from '../../auth/principal.js';
import { TesseraError } from '../../errors/registry.js';
import { principalOf } from '../../http/authenticated.js';
import { tenantScope } from '../../scopes/ancestry.js';
import { errorResponses } from '../schemas.js';
import { describeResourceType, SPEC_RESOURCE_TYPES } from './resource-types.js';

// Predefined roles exist from the first start; a fixed instant keeps their timestamps stable.
const PREDEFINED_AT = '2024-01-01T00:00:00.000Z';

const RoleV1 = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  permissions: Type.Array(
    Type.Object({
      resourceType: Type.String(),
      displayName: Type.String(),
      groupId: Type.String(),
      actions: Type.Array(Type.String()),
    }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  createdBy: Type.String(),
  custom: Type.Boolean(),
  effectiveEnabled: Type.Boolean(),
  enabled: Type.Boolean(),
});

/** The spec's `RoleV1` for a predefined role. */
export function toRoleV1(role: Role) {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    // Tessera's internal `audit` resource has no counterpart in Run:ai's ResourceType enum; the audit
    // log is a System administrator matter, documented in the README, and not listed here.
    permissions: role.permissions
      .filter((p) => SPEC_RESOURCE_TYPES.has(p.resourceType))
      .map((p) => ({
        resourceType: p.resourceType,
        ...describeResourceType(p.resourceType),
        actions: [...p.actions],
      })),
    createdAt: PREDEFINED_AT,
    updatedAt: PREDEFINED_AT,
    createdBy: 'system',
    custom: false,
    effectiveEnabled: true,
    enabled: true,
  };
}

const tags = ['Roles'];

/** `/api/v1/authorization/roles`: the predefined roles (DESIGN §6). */
export const roleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/authorization/roles',
    {
      schema: {
        tags,
        operationId: 'get_roles_v1',
        response: { 200: Type.Array(RoleV1), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      requirePermission(principal, 'roles', 'read', [tenantScope(principal.tenantId)]);
      return PREDEFINED_ROLES.map(toRoleV1);
    },
  );

  app.get(
    '/api/v1/authorization/roles/:roleIdPath',
    {
      schema: {
        tags,
        operationId: 'get_role_v1',
        params: Type.Object({ roleIdPath: Type.Integer({ minimum: 1 }) }),
        response: { 200: RoleV1, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      requirePermission(principal, 'roles', 'read', [tenantScope(principal.tenantId)]);
      const role = roleById(request.params.roleIdPath);
      if (!role) throw new TesseraError('NOT_FOUND', `role ${request.params.roleIdPath} not found`);
      return toRoleV1(role);
    },
  );
};
