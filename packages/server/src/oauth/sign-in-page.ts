import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit-log.js';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Context } from '../context.js';
import { verifyPassword } from '../crypto/passwords.js';
import { TesseraError } from '../errors/registry.js';
import { escapeHtml, HTML_HEADERS, page } from './html.js';
import { formParams } from './oauth-error.js';
import { brokerLoginPath } from '../idps/broker-login.js';
import { listIdps } from '../idps/repository.js';
import { tenantSettings } from '../settings/tenant-settings.js';
import { registerPasswordChange, renderPasswordChange, startPasswordChange } from './password-change.js';
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
 * Sends the sign-in form (email + password), carrying the page to return to and a CSRF token, and
 * one "Sign in with <alias>" button per identity provider of the tenant.
 *
 * @example
 * ```ts
 * return renderSignIn(ctx, request, reply, '/oauth/device')
 * ```
 */
export async function renderSignIn(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  returnTo: string,
  error?: string,
  status = 200,
): Promise<FastifyReply> {
  const csrf = csrfToken(ctx, request, reply);
  const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
  // Links, not forms: the page's CSP says `form-action 'self'`, and browsers apply it to the
  // redirect a form submission leads to, which here goes to the provider's origin.
  const sso = (await listIdps(ctx.store.db, tenantId))
    .map((idp) => {
      const href = `${brokerLoginPath(idp.alias)}?return_to=${encodeURIComponent(returnTo)}`;
      return `<p><a class="sso" role="button" href="${escapeHtml(href)}">Sign in with ${escapeHtml(idp.alias)}</a></p>`;
    })
    .join('\n');
  const body = `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
${sso ? `${sso}\n<p>or with your email and password:</p>` : ''}
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
  app.get(SIGN_IN_PATH, { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { return_to?: string; local?: string };
    const returnTo = safeReturnTo(query.return_to);
    // autoRedirectSSO sends the browser straight to the tenant's provider; `?local=1` still shows
    // the password form, so an administrator cannot lock everyone out with a broken provider.
    if (query.local !== '1') {
      const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
      const { autoRedirectSSO } = await tenantSettings(ctx.store.db, tenantId);
      const alias = autoRedirectSSO.enabled ? autoRedirectSSO.idpAlias : null;
      if (alias && (await listIdps(ctx.store.db, tenantId)).some((idp) => idp.alias === alias)) {
        const target = `${brokerLoginPath(alias)}?return_to=${encodeURIComponent(returnTo)}`;
        return reply.code(303).header('Location', target).header('Cache-Control', 'no-store').send();
      }
    }
    return renderSignIn(ctx, request, reply, returnTo);
  });

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
            .select(['id', 'password_hash', 'enabled', 'must_change_password'])
            .where('tenant_id', '=', tenantId)
            .where('email', '=', email)
            .executeTakeFirst();
          const matched = await verifyPassword(user?.password_hash, password);
          if (!user) return { ok: false as const, reason: 'unknown_user' };
          if (!matched) return { ok: false as const, reason: 'wrong_password' };
          if (!user.enabled) return { ok: false as const, reason: 'disabled' };
          return { ok: true as const, value: user };
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
      actor: { type: 'user', id: result.ok ? result.value.id : null, name: email },
      action: 'auth.sign_in',
      resource: { type: 'browser-session' },
      result: result.ok ? 'success' : 'failure',
      reason: result.ok ? undefined : result.reason,
      sourceIp: request.ip,
    });
    if (!result.ok) return renderSignIn(ctx, request, reply, returnTo, 'Invalid email or password.', 401);
    if (result.value.must_change_password) {
      // A temporary password opens no session: only the change form, then the original flow.
      startPasswordChange(ctx, reply, {
        tenantId,
        userId: result.value.id,
        passwordHash: result.value.password_hash,
      });
      return renderPasswordChange(ctx, request, reply, returnTo);
    }
    await startSession(ctx, reply, tenantId, result.value.id);
    return reply.code(303).header('Location', returnTo).header('Cache-Control', 'no-store').send();
  });
  registerPasswordChange(app, ctx, safeReturnTo, (request, reply, returnTo, error) =>
    renderSignIn(ctx, request, reply, returnTo, error, 403),
  );
}
