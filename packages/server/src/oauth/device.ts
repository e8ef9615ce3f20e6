import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit-log.js';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Context } from '../context.js';
import { generateSecret, hashSecret } from '../crypto/secrets.js';
import { TesseraError } from '../errors/registry.js';
import { parseScope } from '../token/subjects.js';
import { SUPPORTED_SCOPES } from './authorize.js';
import { authenticateClient } from './clients.js';
import { escapeHtml, HTML_HEADERS, page } from './html.js';
import { REALM_OIDC, requestIssuer } from './issuer.js';
import { formParams, OAuthError } from './oauth-error.js';
import { csrfToken, csrfValid, currentSession } from './sessions.js';
import { SIGN_IN_PATH } from './sign-in-page.js';
import { throttled } from './throttle.js';

/** Seconds a client must wait between polls (RFC 8628 `interval`). */
export const DEVICE_POLL_INTERVAL_SEC = 5;
const DEVICE_CODE_TTL_SEC = 600;
export const DEVICE_PAGE_PATH = '/oauth/device';
/** No vowels (no words), no look-alikes: RFC 8628 §6.1's base-20 alphabet. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Normalises what a user typed: case, spaces and dashes do not matter.
 *
 * @example
 * ```ts
 * normalizeUserCode('bcdf ghjk') // 'BCDF-GHJK'
 * ```
 */
export function normalizeUserCode(typed: string): string {
  const bare = typed.toUpperCase().replace(/[^A-Z]/g, '');
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : bare;
}

function devicePage(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  userCode: string,
  message?: string,
  status = 200,
) {
  const csrf = csrfToken(ctx, request, reply);
  const body = `${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}
<p>Enter the code shown on your device to let it sign in as you.</p>
<form method="post" action="${DEVICE_PAGE_PATH}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="user_code">Code</label><input id="user_code" name="user_code" value="${escapeHtml(userCode)}" autocomplete="off" required>
<button type="submit" name="action" value="approve">Allow</button>
<button type="submit" name="action" value="deny">Deny</button></form>`;
  return reply.code(status).headers(HTML_HEADERS).send(page('Sign in a device', body));
}

/**
 * Device authorization (RFC 8628): `POST /oauth/device_authorization` issues a device code and a
 * user code; the user approves it on `GET|POST /oauth/device` after signing in; the device polls
 * the token endpoint with `urn:ietf:params:oauth:grant-type:device_code`.
 *
 * @example
 * ```ts
 * registerDevice(scope, ctx)
 * ```
 */
export function registerDevice(app: FastifyInstance, ctx: Context): void {
  const authorizeDevice = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = formParams(request.body);
    const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
    const client = await authenticateClient(ctx, request, params, tenantId);
    const scope = parseScope(params.scope) ?? ['openid'];
    const unknown = scope.filter((s) => !SUPPORTED_SCOPES.includes(s));
    if (unknown.length)
      throw new OAuthError('invalid_scope', `unsupported scope: ${unknown.join(' ').slice(0, 100)}`);
    const deviceCode = generateSecret();
    const userCode = newUserCode();
    const now = Date.now();
    await ctx.store.db
      .insertInto('oauth_device_codes')
      .values({
        device_code_hash: hashSecret(ctx.master.pepper, deviceCode),
        user_code: userCode,
        tenant_id: tenantId,
        client_id: client.clientId,
        scope: scope.join(' '),
        issuer: requestIssuer(ctx, request),
        status: 'pending',
        user_id: null,
        auth_time: null,
        created_at: now,
        expires_at: now + DEVICE_CODE_TTL_SEC * 1000,
        last_poll_at: null,
      })
      .execute();
    const verification = `${ctx.issuer()}${DEVICE_PAGE_PATH}`;
    return reply.header('Cache-Control', 'no-store').send({
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: verification,
      verification_uri_complete: `${verification}?user_code=${userCode}`,
      expires_in: DEVICE_CODE_TTL_SEC,
      interval: DEVICE_POLL_INTERVAL_SEC,
    });
  };
  for (const path of ['/oauth/device_authorization', `${REALM_OIDC}/auth/device`]) {
    app.post(
      path,
      { schema: { tags: ['OAuth'], summary: 'Device authorization (RFC 8628)', security: [] } },
      authorizeDevice,
    );
  }

  app.get(DEVICE_PAGE_PATH, { schema: { hide: true } }, async (request, reply) => {
    const typed = (request.query as { user_code?: unknown }).user_code;
    const userCode = typeof typed === 'string' ? normalizeUserCode(typed).slice(0, 9) : '';
    if (!(await currentSession(ctx, request))) {
      const back = `${DEVICE_PAGE_PATH}${userCode ? `?user_code=${encodeURIComponent(userCode)}` : ''}`;
      return reply
        .code(303)
        .header('Location', `${SIGN_IN_PATH}?return_to=${encodeURIComponent(back)}`)
        .send();
    }
    return devicePage(ctx, request, reply, userCode);
  });

  app.post(DEVICE_PAGE_PATH, { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request.body);
    const userCode = normalizeUserCode(params.user_code ?? '');
    const session = await currentSession(ctx, request);
    if (!session) {
      const back = `${DEVICE_PAGE_PATH}?user_code=${encodeURIComponent(userCode)}`;
      return reply
        .code(303)
        .header('Location', `${SIGN_IN_PATH}?return_to=${encodeURIComponent(back)}`)
        .send();
    }
    if (!csrfValid(ctx, request, params.csrf))
      return devicePage(ctx, request, reply, userCode, 'Please try again.', 403);
    const approve = params.action !== 'deny';
    const db = ctx.store.db;
    const now = Date.now();
    let found;
    try {
      found = await throttled(
        ctx,
        session.tenantId,
        { kind: 'device', account: '', address: request.ip },
        async () => {
          const row = await db
            .selectFrom('oauth_device_codes')
            .select(['device_code_hash', 'client_id', 'expires_at', 'status'])
            .where('user_code', '=', userCode)
            .where('tenant_id', '=', session.tenantId)
            .executeTakeFirst();
          if (!row || row.status !== 'pending' || row.expires_at <= now)
            return { ok: false as const, reason: 'unknown_user_code' };
          return { ok: true as const, value: row };
        },
      );
    } catch (err) {
      if (err instanceof TesseraError && err.code === 'RATE_LIMITED') {
        for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
        return devicePage(ctx, request, reply, userCode, 'Too many wrong codes; try again later.', 429);
      }
      throw err;
    }
    await recordAudit(db, {
      tenantId: session.tenantId,
      actor: { type: 'user', id: session.userId },
      action: approve ? 'device.approve' : 'device.deny',
      resource: { type: 'device-code', name: found.ok ? found.value.client_id : null },
      result: found.ok ? 'success' : 'failure',
      reason: found.ok ? undefined : found.reason,
      sourceIp: request.ip,
    });
    if (!found.ok)
      return devicePage(ctx, request, reply, userCode, 'That code is unknown or has expired.', 400);
    await db
      .updateTable('oauth_device_codes')
      .set(
        approve
          ? { status: 'approved', user_id: session.userId, auth_time: session.authTime }
          : { status: 'denied' },
      )
      .where('device_code_hash', '=', found.value.device_code_hash)
      .where('status', '=', 'pending')
      .execute();
    const message = approve ? 'Device signed in. You can close this window.' : 'Request denied.';
    return reply
      .headers(HTML_HEADERS)
      .send(page(approve ? 'Device approved' : 'Device denied', `<p>${message}</p>`));
  });
}
