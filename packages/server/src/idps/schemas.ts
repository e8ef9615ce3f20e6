import { Type } from '@sinclair/typebox';

/** The spec's `Mappers` (answers carry `alias`, which its schema requires). */
export const MappersSchema = Type.Object({
  alias: Type.String(),
  gid: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  groups: Type.Optional(Type.String()),
  supplementaryGroups: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
});

/** The spec's `Idp1` for an OIDC provider; `clientSecret` is always masked. */
export const IdpSchema = Type.Object({
  alias: Type.String(),
  type: Type.String(),
  redirectUri: Type.String(),
  oidcData: Type.Object({
    clientId: Type.String(),
    clientSecret: Type.String(),
    discoverDocumentUrl: Type.String(),
    scopes: Type.Array(Type.String()),
    mandatoryClaim: Type.Optional(Type.Object({ claim: Type.String(), values: Type.Array(Type.String()) })),
  }),
  mappers: MappersSchema,
});

/** The `{idp}` path parameter (an alias). */
export const IdpParams = Type.Object({ idp: Type.String({ maxLength: 64 }) });
