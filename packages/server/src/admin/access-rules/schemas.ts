import { Type } from '@sinclair/typebox';

export const SubjectType = Type.Union([
  Type.Literal('user'),
  Type.Literal('app'),
  Type.Literal('service-account'),
  Type.Literal('group'),
]);
export const ScopeType = Type.Union([
  Type.Literal('system'),
  Type.Literal('tenant'),
  Type.Literal('cluster'),
  Type.Literal('department'),
  Type.Literal('project'),
]);

export const AccessRuleCreationFields = Type.Object(
  {
    subjectId: Type.String({ minLength: 1, maxLength: 320 }),
    subjectType: SubjectType,
    roleId: Type.Integer({ minimum: 1 }),
    scopeId: Type.String({ minLength: 1, maxLength: 64 }),
    scopeType: ScopeType,
    clusterId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

export const AccessRule = Type.Object({
  id: Type.Integer(),
  subjectId: Type.String(),
  subjectType: SubjectType,
  roleId: Type.Integer(),
  roleName: Type.String(),
  scopeId: Type.String(),
  scopeType: ScopeType,
  scopeName: Type.String(),
  clusterId: Type.Optional(Type.String()),
  tenantId: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const AccessRuleList = Type.Object({
  totalRecords: Type.Integer(),
  displayRecords: Type.Integer(),
  accessRules: Type.Array(AccessRule),
});

export const AccessRuleListQuery = Type.Object({
  subjectType: Type.Optional(SubjectType),
  subjectIds: Type.Optional(Type.String({ maxLength: 10_000, description: 'Comma-separated subject ids.' })),
  scopeType: Type.Optional(ScopeType),
  scopeId: Type.Optional(Type.String({ maxLength: 64 })),
  roleId: Type.Optional(Type.Integer({ minimum: 1 })),
  subjectId: Type.Optional(Type.String({ maxLength: 320 })),
  filterBy: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 32 })),
  sortBy: Type.Optional(Type.String({ maxLength: 64 })),
  sortOrder: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const AccessRuleIdParams = Type.Object({ accessRuleId: Type.Integer({ minimum: 1 }) });
