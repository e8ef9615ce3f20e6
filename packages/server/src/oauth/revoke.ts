import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import { recordAudit } from '../audit/audit-log.js';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Context } from '../context.js';
import { findRefreshToken, revokeFamily } from '../token/refresh-tokens.js';
import { activePrincipal, revokeJti } from './bearer.js';
import { authenticateClient } from './clients.js';
import { REALM_OIDC } from './issuer.js';
import { formParams, OAuthError } from './oauth-error.js';

/**
 * `POST /oauth/revoke` (RFC 7009). A client may revoke its own tokens: a refresh token revokes its
 * whole family; an access token is refused from then on. Unknown or foreign tokens get the same
 * 200, as the RFC requires.
 *
 * @example
 * ```ts
 * registerRevoke(scope, ctx, createAuthenticator(ctx))
 * ```
 */
export function registerRevoke(app: FastifyInstance, ctx: Context, authenticate: Authenticator): void {
  const handler = async (request: FastifyRequest) => {
    const params = formParams(request.body);
    const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
    const client = await authenticateClient(ctx, request, params, tenantId);
    const token = params.token;
    if (!token) throw new OAuthError('invalid_request', 'token: is required');
    const audit = (resource: { type: string; id?: string }, actor: { type: string; id?: string }) =>
      recordAudit(ctx.store.db, {
        tenantId,
        actor,
        action: 'token.revoke',
        resource,
        result: 'success',
        sourceIp: request.ip,
        details: { client_id: client.clientId },
      });
    if (token.split('.').length === 3) {
      const principal = await activePrincipal(authenticate, token);
      if (principal && principal.claims.client_id === client.clientId) {
        await revokeJti(ctx, principal.claims);
        await audit(
          { type: 'access-token', id: principal.claims.jti },
          { type: principal.subjectType, id: principal.claims.sub },
        );
      }
      return;
    }
    const row = await findRefreshToken(ctx.store.db, ctx.master.pepper, token);
    if (row && row.client_id === client.clientId && row.tenant_id === tenantId) {
      await ctx.store.db.transaction().execute(async (trx) => {
        await revokeFamily(trx, row.family_id);
      });
      await audit(
        { type: 'refresh-token-family', id: row.family_id },
        { type: row.subject_type, id: row.subject_id },
      );
    }
  };
  for (const path of ['/oauth/revoke', `${REALM_OIDC}/revoke`]) {
    app.post(
      path,
      { schema: { tags: ['OAuth'], summary: 'Token revocation (RFC 7009)', security: [] } },
      async (request, reply) => {
        await handler(request);
        return reply.header('Cache-Control', 'no-store').send();
      },
    );
  }
}
