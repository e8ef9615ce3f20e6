import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../context.js';
import { escapeHtml, HTML_HEADERS, page } from '../oauth/html.js';
import { setSealedCookie } from '../oauth/sealed-cookie.js';
import { SIGN_IN_PATH, safeReturnTo } from '../oauth/sign-in-page.js';
import { resolveTenant } from '../tenancy/resolve.js';
import { ALIAS, BROKER_REALM, redirectUri } from './model.js';
import { loadProvider } from './repository.js';
import { discover, UpstreamError } from './upstream.js';

/** The cookie binding a broker login in flight to the browser that started it. */
export const BROKER_COOKIE = 'tessera_broker';
/** How long a user may spend at the provider's login page. */
const BROKER_TTL_SEC = 600;

/** A broker login in flight, sealed in {@link BROKER_COOKIE}. */
export interface BrokerState {
  state: string;
  nonce: string;
  verifier: string;
  alias: string;
  tenantId: number;
  returnTo: string;
}

/**
 * Where the sign-in page's "Sign in with <alias>" button starts a broker login.
 *
 * @example
 * ```ts
 * brokerLoginPath('oidc') // '/auth/realms/runai/broker/oidc/login'
 * ```
 */
export function brokerLoginPath(alias: string): string {
  return `/auth/realms/${BROKER_REALM}/broker/${alias}/login`;
}

/**
 * A readable HTML error page for the broker (4xx, never 5xx), with a way back to the password form.
 *
 * @example
 * ```ts
 * return brokerError(reply, 400, 'The identity provider could not be reached.', returnTo)
 * ```
 */
export function brokerError(
  reply: FastifyReply,
  status: number,
  message: string,
  returnTo: string,
): FastifyReply {
  const back = `${SIGN_IN_PATH}?local=1&return_to=${encodeURIComponent(returnTo)}`;
  return reply
    .code(status)
    .headers(HTML_HEADERS)
    .send(
      page(
        'Sign-in failed',
        `<p class="error" role="alert">${escapeHtml(message)}</p><p><a href="${escapeHtml(back)}">Back to sign-in</a></p>`,
      ),
    );
}

/**
 * `GET /auth/realms/<realm>/broker/<alias>/login?return_to=…`: starts signing in through an upstream
 * OIDC provider — authorization code with PKCE S256, `state` and `nonce` — and binds the attempt to
 * this browser with a sealed SameSite=Lax cookie (Lax, because the provider sends the browser back
 * with a cross-site top-level GET).
 *
 * @example
 * ```ts
 * registerBrokerLogin(scope, ctx)
 * ```
 */
export function registerBrokerLogin(app: FastifyInstance, ctx: Context): void {
  app.get('/auth/realms/:realm/broker/:alias/login', { schema: { hide: true } }, async (request, reply) => {
    const { alias } = request.params as { alias: string };
    const returnTo = safeReturnTo((request.query as { return_to?: string }).return_to);
    const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
    const idp = ALIAS.test(alias) ? await loadProvider(ctx.store.db, ctx.master, tenantId, alias) : undefined;
    if (!idp)
      return brokerError(reply, 404, `There is no identity provider "${alias.slice(0, 64)}".`, returnTo);
    let authorizationEndpoint: string;
    try {
      authorizationEndpoint = (await discover(idp)).authorization_endpoint;
    } catch (err) {
      if (err instanceof UpstreamError) return brokerError(reply, 400, err.message, returnTo);
      throw err;
    }
    const pending: BrokerState = {
      state: randomBytes(32).toString('base64url'),
      nonce: randomBytes(32).toString('base64url'),
      verifier: randomBytes(32).toString('base64url'),
      alias,
      tenantId,
      returnTo,
    };
    setSealedCookie(ctx, reply, BROKER_COOKIE, pending, BROKER_TTL_SEC, 'Lax');
    const target = new URL(authorizationEndpoint);
    const params = {
      response_type: 'code',
      client_id: idp.oidc.clientId,
      redirect_uri: redirectUri(ctx.issuer(), alias),
      scope: idp.oidc.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    return reply.code(303).header('Location', target.toString()).header('Cache-Control', 'no-store').send();
  });
}
