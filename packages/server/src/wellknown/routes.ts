import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import { SUPPORTED_SCOPES } from '../oauth/authorize.js';
import { endpointsFor, REALM_OIDC, REALM_PREFIX, requestIssuer } from '../oauth/issuer.js';
import { DEVICE_GRANT } from '../token/v2/route.js';

/** Long enough to spare the server, short enough that verifiers see a new key within minutes. */
const CACHE = 'public, max-age=300';

/**
 * JWKS and OpenID Provider metadata, at the canonical paths and under `/auth/realms/<realm>/`
 * (old Run:ai clients and kubeconfigs use that issuer form). The `issuer` in each document is the
 * URL prefix the client used, as strict clients (oauth4webapi) require, and every endpoint in it
 * lives under that same issuer so the ID tokens they return carry it.
 *
 * @example
 * ```ts
 * registerWellKnown(app, ctx)
 * ```
 */
export function registerWellKnown(app: FastifyInstance, ctx: Context): void {
  const jwks = (_req: FastifyRequest, reply: FastifyReply) =>
    reply.header('Cache-Control', CACHE).send(ctx.keys.jwks());
  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['Discovery'], summary: 'Signing keys (JWKS)' } },
    jwks,
  );
  app.get(`${REALM_OIDC}/certs`, { schema: { hide: true } }, jwks);

  const metadata = (request: FastifyRequest, reply: FastifyReply) => {
    const issuer = requestIssuer(ctx, request);
    const algs = [...new Set(ctx.keys.jwks().keys.map((k) => k.alg))];
    return reply.header('Cache-Control', CACHE).send({
      issuer,
      ...endpointsFor(issuer, ctx.issuer()),
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: [
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'password',
        DEVICE_GRANT,
      ],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algs,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: SUPPORTED_SCOPES,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'azp',
        'email',
        'email_verified',
        'name',
        'preferred_username',
        'groups',
      ],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
  };
  app.get(
    '/.well-known/openid-configuration',
    { schema: { tags: ['Discovery'], summary: 'OpenID Provider metadata' } },
    metadata,
  );
  app.get(
    `${REALM_PREFIX}/.well-known/openid-configuration`,
    { schema: { tags: ['Discovery'], summary: 'OpenID Provider metadata (realm form)' } },
    metadata,
  );
}
