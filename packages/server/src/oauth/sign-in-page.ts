import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit-log.js';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Context } from '../context.js';
import { verifyPassword } from '../crypto/passwords.js';
import { TesseraError } from '../errors/registry.js';
import { escapeHtml, HTML_HEADERS, page } from './html.js';
import { formParams } from './oauth-error.js';
import { csrfToken, csrfValid, startSession } from './sessions.js';
import { throttled } from './throttle.js';

export const SIGN_IN_PATH = '/oauth/sign-in';

/**
 * Where a sign-in may send the browser back to: our own authorization and device pages only.
 *
 * @example
 * ```ts
 * safeReturnTo('https://evil.example/') // '/oauth/device'
 * ```
 */
export function safeReturnTo(value: string | undefined): string {
  if (
    value &&
    /^\/(oauth\/(authorize|device)|auth\/realms\/[A-Za-z0-9.-]+\/protocol\/openid-connect\/auth)(\?|\/|$)/.test(
      value,
    )
  ) {
    return value;
  }
  return '/oauth/device';
}

/**
 * Sends the sign-in form (email + password), carrying the page to return to and a CSRF token.
 *
 * @example
 * ```ts
 * return renderSignIn(ctx, request, reply, '/oauth/device')
 * ```
 */
export function renderSignIn(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  returnTo: string,
  error?: string,
  status = 200,
): FastifyReply {
  const csrf = csrfToken(ctx, request, reply);
  const body = `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${SIGN_IN_PATH}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`;
  return reply.code(status).headers(HTML_HEADERS).send(page('Sign in', body));
}

/**
 * `GET|POST /oauth/sign-in` — the browser sign-in page. A successful sign-in starts a browser
 * session (HttpOnly cookie, Secure over TLS, SameSite=Lax) and returns to the authorization or
 * device page; failures are throttled and audited like the password grant.
 *
 * @example
 * ```ts
 * registerSignIn(scope, ctx)
 * ```
 */
export function registerSignIn(app: FastifyInstance, ctx: Context): void {
  app.get(SIGN_IN_PATH, { schema: { hide: true } }, (request, reply) =>
    renderSignIn(ctx, request, reply, safeReturnTo((request.query as { return_to?: string }).return_to)),
  );

  app.post(SIGN_IN_PATH, { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request.body);
    const returnTo = safeReturnTo(params.return_to);
    if (!csrfValid(ctx, request, params.csrf)) {
      return renderSignIn(ctx, request, reply, returnTo, 'Your session expired; please sign in again.', 403);
    }
    const email = (params.email ?? '').trim().toLowerCase();
    const password = params.password ?? '';
    const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
    let result;
    try {
      result = await throttled(
        ctx,
        tenantId,
        { kind: 'password', account: email, address: request.ip },
        async () => {
          const user = await ctx.store.db
            .selectFrom('users')
            .select(['id', 'password_hash', 'enabled'])
            .where('tenant_id', '=', tenantId)
            .where('email', '=', email)
            .executeTakeFirst();
          const matched = await verifyPassword(user?.password_hash, password);
          if (!user) return { ok: false as const, reason: 'unknown_user' };
          if (!matched) return { ok: false as const, reason: 'wrong_password' };
          if (!user.enabled) return { ok: false as const, reason: 'disabled' };
          return { ok: true as const, value: user.id };
        },
      );
    } catch (err) {
      if (err instanceof TesseraError && err.code === 'RATE_LIMITED') {
        for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
        return renderSignIn(ctx, request, reply, returnTo, 'Too many failed attempts; try again later.', 429);
      }
      throw err;
    }
    await recordAudit(ctx.store.db, {
      tenantId,
      actor: { type: 'user', id: result.ok ? result.value : null, name: email },
      action: 'auth.sign_in',
      resource: { type: 'browser-session' },
      result: result.ok ? 'success' : 'failure',
      reason: result.ok ? undefined : result.reason,
      sourceIp: request.ip,
    });
    if (!result.ok) return renderSignIn(ctx, request, reply, returnTo, 'Invalid email or password.', 401);
    await startSession(ctx, reply, tenantId, result.value);
    return reply.code(303).header('Location', returnTo).header('Cache-Control', 'no-store').send();
  });
}
