import { Type, type Static } from '@sinclair/typebox';

const DateTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const AppIdParams = Type.Object({ appId: Type.String({ maxLength: 64 }) });

export const ApplicationCreationRequest = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][-_a-z0-9]*[a-z0-9]$', minLength: 2, maxLength: 63 }),
    roles: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 16,
        description:
          'The seed\'s view: role names such as "researcher", "editor", "admin". Stored as access rules.',
      }),
    ),
    projects: Type.Optional(
      Type.Array(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Integer({ minimum: 1 })]), {
        maxItems: 500,
        description: 'Projects (ids or names) on which Researcher-like roles apply.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ApplicationCreationRequest = Static<typeof ApplicationCreationRequest>;

export const ApplicationPatchRequest = Type.Object(
  { enabled: Type.Boolean() },
  { additionalProperties: false },
);

export const Application = Type.Object({
  id: Type.String(),
  name: Type.String(),
  clientId: Type.String(),
  enabled: Type.Boolean(),
  tenantId: Type.String(),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  lastLogin: DateTime,
});
export type Application = Static<typeof Application>;

export const ApplicationPostResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  clientId: Type.String(),
  secret: Type.String(),
});

export const SecretResponse = Type.Object({ secret: Type.String() });
