import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import type { Context } from '../context.js';
import { REALM_OIDC } from './issuer.js';
import { OAuthError } from './oauth-error.js';

/**
 * `GET|POST /oauth/userinfo` (OIDC Core §5.3): the signed-in user's claims, for a user's access token.
 *
 * @example
 * ```ts
 * registerUserinfo(scope, ctx, createAuthenticator(ctx))
 * ```
 */
export function registerUserinfo(app: FastifyInstance, ctx: Context, authenticate: Authenticator): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let principal;
    try {
      principal = await authenticate(request.headers.authorization);
    } catch {
      throw new OAuthError('invalid_token', 'the access token is missing, invalid, expired or revoked');
    }
    if (principal.subjectType !== 'user')
      throw new OAuthError('invalid_token', 'userinfo is for user tokens only');
    const user = await ctx.store.db
      .selectFrom('users')
      .select(['id', 'email', 'name'])
      .where('id', '=', principal.claims.sub)
      .executeTakeFirstOrThrow();
    return reply.header('Cache-Control', 'no-store').send({
      sub: user.id,
      email: user.email,
      email_verified: true,
      name: user.name ?? user.email,
      preferred_username: user.email,
      groups: principal.claims.groups ?? [],
    });
  };
  for (const path of ['/oauth/userinfo', `${REALM_OIDC}/userinfo`]) {
    const options = { schema: { tags: ['OAuth'], summary: 'OpenID Connect userinfo' } };
    app.get(path, options, handler);
    app.post(path, options, handler);
  }
}
