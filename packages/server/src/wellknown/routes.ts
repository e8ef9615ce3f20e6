import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';

/**
 * JWKS and OpenID discovery (only what is implemented is advertised). The JWKS may be cached for 5 minutes: a new key is published well
 * before it signs anything (key rotation keeps the old key until its tokens expire), so verifiers
 * pick it up in time.
 */
export function registerWellKnown(app: FastifyInstance, ctx: Context): void {
  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['Discovery'], summary: 'Signing keys (JWKS)' } },
    (_req, reply) => reply.header('Cache-Control', 'public, max-age=300').send(ctx.keys.jwks()),
  );

  app.get(
    '/.well-known/openid-configuration',
    { schema: { tags: ['Discovery'], summary: 'OpenID Provider metadata' } },
    (_req, reply) => {
      const issuer = ctx.issuer();
      return reply.header('Cache-Control', 'public, max-age=300').send({
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [ctx.keys.active().alg],
        claims_supported: [
          'sub',
          'iss',
          'aud',
          'exp',
          'iat',
          'email',
          'name',
          'preferred_username',
          'groups',
        ],
      });
    },
  );
}
