import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Principal } from '../auth/principal.js';
import { errorResponses } from '../admin/schemas.js';
import type { Context } from '../context.js';
import { TesseraError } from '../errors/registry.js';
import { principalOf } from '../http/authenticated.js';
import { rotateSigningKey } from './rotation.js';

const SYSTEM_ADMINISTRATOR_ROLE_ID = 1;

const SigningKey = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

function requireSystemAdministrator(principal: Principal): void {
  const ok = principal.rules.some(
    (r) =>
      r.roleId === SYSTEM_ADMINISTRATOR_ROLE_ID && (r.scopeType === 'tenant' || r.scopeType === 'system'),
  );
  if (!ok) throw new TesseraError('FORBIDDEN', 'only a System administrator may manage signing keys');
}

/**
 * `/api/v1/security/signing-keys`: list the published signing keys and rotate on demand
 * (System administrator only). Not part of Run:ai's API.
 *
 * @example
 * ```ts
 * await admin.register(signingKeyRoutes(ctx))
 * ```
 */
export function signingKeyRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const tags = ['Signing keys'];
  const list = async () => {
    const rows = await ctx.store.db
      .selectFrom('signing_keys')
      .select(['kid', 'alg', 'created_at', 'retired_at'])
      .orderBy('created_at', 'desc')
      .execute();
    const published = new Set(ctx.keys.jwks().keys.map((k) => k.kid));
    return rows
      .filter((r) => published.has(r.kid))
      .map((r) => ({
        kid: r.kid,
        alg: r.alg,
        createdAt: new Date(r.created_at).toISOString(),
        retiredAt: r.retired_at === null ? null : new Date(r.retired_at).toISOString(),
      }));
  };
  return async (app) => {
    app.get(
      '/api/v1/security/signing-keys',
      {
        schema: {
          tags,
          summary: 'Published signing keys',
          response: { 200: Type.Array(SigningKey), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        requireSystemAdministrator(principalOf(request));
        return list();
      },
    );
    app.post(
      '/api/v1/security/signing-keys/rotate',
      {
        schema: {
          tags,
          summary: 'Rotate the signing key now',
          response: { 200: Type.Array(SigningKey), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        requireSystemAdministrator(principal);
        await rotateSigningKey(
          ctx,
          {
            type: principal.subjectType,
            id: principal.claims.sub,
            name: principal.displayName,
            sourceIp: request.ip,
          },
          { force: true },
        );
        return list();
      },
    );
  };
}
