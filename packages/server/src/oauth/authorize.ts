import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Context } from '../context.js';
import { parseScope } from '../token/subjects.js';
import { findClient, redirectAllowed } from './clients.js';
import { createCode } from './codes.js';
import { escapeHtml, HTML_HEADERS, page } from './html.js';
import { REALM_OIDC, requestIssuer } from './issuer.js';
import { currentSession } from './sessions.js';
import { SIGN_IN_PATH } from './sign-in-page.js';

/** Scopes this server grants. */
export const SUPPORTED_SCOPES = ['openid', 'email', 'profile', 'groups', 'offline_access'];

function errorPage(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(400)
    .headers(HTML_HEADERS)
    .send(page('Sign-in request rejected', `<p class="error">${escapeHtml(message)}</p>`));
}

/**
 * `GET /oauth/authorize` (and the realm-style `…/protocol/openid-connect/auth`): the authorization
 * endpoint, response type `code` only, PKCE S256 required for public clients, exact redirect-URI
 * matching (loopback any port for `runai`). Without a browser session it sends the user to the
 * sign-in page and back. Errors about the client or redirect URI are shown, never redirected.
 *
 * @example
 * ```ts
 * registerAuthorize(scope, ctx)
 * ```
 */
export function registerAuthorize(app: FastifyInstance, ctx: Context): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    // OIDC Core §3.1.2.1: GET (query) or POST (form).
    const q = (request.method === 'POST' ? (request.body ?? {}) : request.query) as Record<string, unknown>;
    const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
    for (const [k, v] of Object.entries(q)) {
      if (typeof v !== 'string') return errorPage(reply, `${k}: must be given once`);
    }
    const issuer = requestIssuer(ctx, request);
    const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
    const clientId = str('client_id');
    const redirectUri = str('redirect_uri');
    if (!clientId) return errorPage(reply, 'client_id: is required');
    const client = await findClient(ctx, tenantId, clientId);
    if (!client) return errorPage(reply, 'client_id: unknown client');
    if (!redirectUri || !redirectAllowed(client, redirectUri, ctx.issuer())) {
      return errorPage(reply, 'redirect_uri: is not registered for this client');
    }
    const state = str('state');
    const back = (params: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      if (state !== undefined) target.searchParams.set('state', state);
      target.searchParams.set('iss', issuer);
      return reply.code(303).header('Location', target.toString()).header('Cache-Control', 'no-store').send();
    };
    const fail = (error: string, description: string) => back({ error, error_description: description });

    if (str('response_type') !== 'code')
      return fail('unsupported_response_type', 'only response_type=code is supported');
    if (str('request') !== undefined || str('request_uri') !== undefined) {
      return fail('request_not_supported', 'request objects are not supported');
    }
    const challenge = str('code_challenge');
    const method = str('code_challenge_method');
    if (challenge !== undefined || client.public) {
      if (!challenge) return fail('invalid_request', 'code_challenge: PKCE is required for this client');
      if (method !== 'S256') return fail('invalid_request', 'code_challenge_method: must be S256');
      if (!/^[A-Za-z0-9_-]{43}$/.test(challenge))
        return fail('invalid_request', 'code_challenge: is malformed');
    }
    const scope = parseScope(str('scope')) ?? ['openid'];
    const unknown = scope.filter((s) => !SUPPORTED_SCOPES.includes(s));
    if (unknown.length) return fail('invalid_scope', `unsupported scope: ${unknown.join(' ').slice(0, 100)}`);
    const nonce = str('nonce');
    if (nonce !== undefined && nonce.length > 512) return fail('invalid_request', 'nonce: is too long');

    const session = await currentSession(ctx, request);
    const prompt = str('prompt')?.split(' ') ?? [];
    const maxAge = str('max_age') === undefined ? undefined : Number(str('max_age'));
    const tooOld =
      session &&
      maxAge !== undefined &&
      Number.isFinite(maxAge) &&
      Date.now() - session.authTime > maxAge * 1000;
    if (!session || prompt.includes('login') || tooOld) {
      if (prompt.includes('none')) return fail('login_required', 'the user is not signed in');
      // Return to this same request without prompt=login, so signing in is not asked twice.
      const again = new URLSearchParams(q as Record<string, string>);
      again.delete('prompt');
      again.delete('max_age');
      const returnTo = `${request.url.split('?')[0]}?${again.toString()}`;
      // (A POSTed request comes back as a GET: the sign-in page returns with a redirect.)
      return reply
        .code(303)
        .header('Location', `${SIGN_IN_PATH}?return_to=${encodeURIComponent(returnTo)}`)
        .header('Cache-Control', 'no-store')
        .send();
    }
    const code = await createCode(ctx, {
      tenantId,
      clientId,
      redirectUri,
      userId: session.userId,
      scope,
      nonce,
      codeChallenge: challenge,
      issuer,
      authTime: session.authTime,
    });
    return back({ code });
  };
  const options = { schema: { hide: true } };
  for (const path of ['/oauth/authorize', `${REALM_OIDC}/auth`]) {
    app.get(path, options, handler);
    app.post(path, options, handler);
  }
}
