import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { recordAudit } from '../audit/audit-log.js';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Context } from '../context.js';
import { findClient, redirectAllowed } from './clients.js';
import { HTML_HEADERS, page } from './html.js';
import { isOwnIssuer, REALM_OIDC } from './issuer.js';
import { endSession } from './sessions.js';

/** The user and client an `id_token_hint` names, if it is one of ours (expired is fine). */
async function hinted(
  ctx: Context,
  hint: string | undefined,
): Promise<{ sub: string; aud: string } | undefined> {
  if (!hint) return undefined;
  try {
    const { payload } = await jwtVerify(hint, createLocalJWKSet(ctx.keys.jwks()), {
      algorithms: ['ES256', 'RS256', 'EdDSA'],
      currentDate: new Date(0),
    });
    const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
    if (!payload.sub || !aud || !payload.iss || !isOwnIssuer(ctx, payload.iss)) return undefined;
    return { sub: payload.sub, aud };
  } catch {
    return undefined;
  }
}

/**
 * `GET|POST /oauth/logout` (OIDC RP-initiated logout): ends the browser session and revokes the
 * user's refresh tokens for the client named by `id_token_hint` or `client_id`, then returns to
 * `post_logout_redirect_uri` when it is registered for that client.
 *
 * @example
 * ```ts
 * registerEndSession(scope, ctx)
 * ```
 */
export function registerEndSession(app: FastifyInstance, ctx: Context): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const q: Record<string, unknown> = Object.assign(
      {},
      request.query as Record<string, unknown>,
      request.body as Record<string, unknown> | undefined,
    );
    const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
    const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
    const hint = await hinted(ctx, str('id_token_hint'));
    const sessionUser = await endSession(ctx, request, reply);
    const userId = hint?.sub ?? sessionUser;
    const clientId = hint?.aud ?? str('client_id');
    if (userId) {
      let revoke = ctx.store.db
        .updateTable('oauth_refresh_tokens')
        .set({ revoked_at: Date.now() })
        .where('subject_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (clientId) revoke = revoke.where('client_id', '=', clientId);
      await revoke.execute();
      await recordAudit(ctx.store.db, {
        tenantId,
        actor: { type: 'user', id: userId },
        action: 'auth.logout',
        resource: { type: 'browser-session', name: clientId ?? null },
        result: 'success',
        sourceIp: request.ip,
      });
    }
    const target = str('post_logout_redirect_uri');
    const client = clientId ? await findClient(ctx, tenantId, clientId) : undefined;
    if (target && client && redirectAllowed(client, target, ctx.issuer())) {
      const url = new URL(target);
      const state = str('state');
      if (state !== undefined) url.searchParams.set('state', state);
      return reply.code(303).header('Location', url.toString()).send();
    }
    return reply.headers(HTML_HEADERS).send(page('Signed out', '<p>You are signed out.</p>'));
  };
  for (const path of ['/oauth/logout', `${REALM_OIDC}/logout`]) {
    app.get(path, { schema: { hide: true } }, handler);
    app.post(path, { schema: { hide: true } }, handler);
  }
}
