import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Context } from '../context.js';
import { findRefreshToken } from '../token/refresh-tokens.js';
import { activePrincipal } from './bearer.js';
import { authenticateClient } from './clients.js';
import { REALM_OIDC } from './issuer.js';
import { formParams, OAuthError } from './oauth-error.js';

/**
 * `POST /oauth/introspect` (RFC 7662), for confidential clients (applications) only. Access tokens
 * are active while valid and not revoked (subject disabled, secret rotated, RFC 7009 revocation);
 * refresh tokens while unused, unrevoked and unexpired.
 *
 * @example
 * ```ts
 * registerIntrospect(scope, ctx, createAuthenticator(ctx))
 * ```
 */
export function registerIntrospect(app: FastifyInstance, ctx: Context, authenticate: Authenticator): void {
  const handler = async (request: FastifyRequest) => {
    const params = formParams(request.body);
    const client = await authenticateClient(
      ctx,
      request,
      params,
      await resolveTenant(ctx.store.db, request.headers.host),
    );
    if (client.public) throw new OAuthError('invalid_client', 'introspection requires a confidential client');
    const token = params.token;
    if (!token) throw new OAuthError('invalid_request', 'token: is required');
    if (params.token_type_hint !== 'refresh_token' && token.split('.').length === 3) {
      const principal = await activePrincipal(authenticate, token);
      if (principal) {
        const c = principal.claims;
        return {
          active: true,
          token_type: 'Bearer',
          client_id: c.client_id,
          username: c.email ?? principal.displayName,
          sub: c.sub,
          aud: c.aud,
          iss: c.iss,
          exp: c.exp,
          iat: c.iat,
          jti: c.jti,
          subject_type: c.subject_type,
          tenant_id: c.tenant_id,
        };
      }
      return { active: false };
    }
    const row = await findRefreshToken(ctx.store.db, ctx.master.pepper, token);
    if (!row || row.used_at !== null || row.revoked_at !== null || row.expires_at <= Date.now())
      return { active: false };
    return {
      active: true,
      token_type: 'refresh_token',
      scope: row.scope,
      client_id: row.client_id,
      sub: row.subject_id,
      iss: row.issuer,
      exp: Math.floor(row.expires_at / 1000),
      iat: Math.floor(row.created_at / 1000),
    };
  };
  for (const path of ['/oauth/introspect', `${REALM_OIDC}/token/introspect`]) {
    app.post(
      path,
      { schema: { tags: ['OAuth'], summary: 'Token introspection (RFC 7662)', security: [] } },
      async (request, reply) => reply.header('Cache-Control', 'no-store').send(await handler(request)),
    );
  }
}
