import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit-log.js';
import type { Context } from '../context.js';
import { verifyPassword } from '../crypto/passwords.js';
import { changeOwnPassword } from '../admin/users/own-password.js';
import { tenantSettings } from '../settings/tenant-settings.js';
import { escapeHtml, HTML_HEADERS, page } from './html.js';
import { formParams } from './oauth-error.js';
import { clearCookie, readSealedCookie, setSealedCookie } from './sealed-cookie.js';
import { csrfToken, csrfValid, startSession } from './sessions.js';

export const PASSWORD_CHANGE_PATH = '/oauth/password-change';
const PENDING_COOKIE = 'tessera_password_change';
/** How long the change form may stay open after the temporary password was accepted. */
const PENDING_TTL_SEC = 600;
const MAX_PASSWORD = 1024;

/** A user who signed in with a temporary password and must choose a new one. */
interface PendingChange {
  tenantId: number;
  userId: string;
  /** Fingerprint of the password hash at sign-in: once the password changes, the ticket is dead. */
  fp: string;
}

const fingerprint = (passwordHash: string) => createHash('sha256').update(passwordHash).digest('base64url');

/**
 * Remembers (in a sealed cookie) that this browser proved the user's temporary password; it opens
 * the change form only, never a session.
 *
 * @example
 * ```ts
 * startPasswordChange(ctx, reply, { tenantId, userId: user.id, passwordHash: user.password_hash })
 * ```
 */
export function startPasswordChange(
  ctx: Context,
  reply: FastifyReply,
  user: { tenantId: number; userId: string; passwordHash: string },
): void {
  const pending: PendingChange = {
    tenantId: user.tenantId,
    userId: user.userId,
    fp: fingerprint(user.passwordHash),
  };
  setSealedCookie(ctx, reply, PENDING_COOKIE, pending, PENDING_TTL_SEC, 'Strict');
}

/**
 * Sends the "Change password" form (New password, Confirm new password), with an alert when given.
 *
 * @example
 * ```ts
 * return renderPasswordChange(ctx, request, reply, '/oauth/authorize?…')
 * ```
 */
export function renderPasswordChange(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  returnTo: string,
  error?: string,
  status = 200,
): FastifyReply {
  const csrf = csrfToken(ctx, request, reply);
  const body = `<p>Your password is temporary. Choose a new one to continue.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${PASSWORD_CHANGE_PATH}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">
<label for="new_password">New password</label><input id="new_password" name="new_password" type="password" autocomplete="new-password" required>
<label for="confirm_password">Confirm new password</label><input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required>
<button type="submit">Change password</button></form>`;
  return reply.code(status).headers(HTML_HEADERS).send(page('Change password', body));
}

/**
 * `POST /oauth/password-change`: the forced change after signing in with a temporary password. It
 * enforces the tenant's password policy, then starts the browser session and continues the
 * original flow (`return_to`). Until then no session exists, so no client can be authorized.
 *
 * @example
 * ```ts
 * registerPasswordChange(scope, ctx, safeReturnTo, renderSignIn)
 * ```
 */
export function registerPasswordChange(
  app: FastifyInstance,
  ctx: Context,
  safeReturnTo: (value: string | undefined) => string,
  restart: (
    request: FastifyRequest,
    reply: FastifyReply,
    returnTo: string,
    error: string,
  ) => Promise<FastifyReply>,
): void {
  const db = ctx.store.db;
  app.post(PASSWORD_CHANGE_PATH, { schema: { hide: true } }, async (request, reply) => {
    const params = formParams(request.body);
    const returnTo = safeReturnTo(params.return_to);
    const pending = readSealedCookie<PendingChange>(ctx, request, PENDING_COOKIE);
    const user = pending
      ? await db
          .selectFrom('users')
          .select(['id', 'email', 'password_hash', 'must_change_password', 'enabled'])
          .where('tenant_id', '=', pending.tenantId)
          .where('id', '=', pending.userId)
          .executeTakeFirst()
      : undefined;
    if (
      !pending ||
      !csrfValid(ctx, request, params.csrf) ||
      !user ||
      !user.enabled ||
      !user.must_change_password ||
      fingerprint(user.password_hash) !== pending.fp
    ) {
      clearCookie(ctx, reply, PENDING_COOKIE);
      return restart(request, reply, returnTo, 'Your sign-in expired; please sign in again.');
    }
    const next = params.new_password ?? '';
    const { passwordMinLength } = await tenantSettings(db, pending.tenantId);
    let problem: string | undefined;
    if (next !== (params.confirm_password ?? '')) problem = 'The new passwords do not match.';
    else if (next.length < passwordMinLength)
      problem = `The new password must be at least ${passwordMinLength} characters long.`;
    else if (next.length > MAX_PASSWORD)
      problem = `The new password must be at most ${MAX_PASSWORD} characters long.`;
    else if (await verifyPassword(user.password_hash, next))
      problem = 'The new password must differ from the temporary one.';
    const audit = { tenantId: pending.tenantId, actor: { type: 'user', id: user.id, name: user.email } };
    const resource = { type: 'users', id: user.id, name: user.email };
    if (problem) {
      await recordAudit(db, {
        action: 'change-password',
        resource,
        result: 'failure',
        reason: 'policy',
        sourceIp: request.ip,
        ...audit,
      });
      return renderPasswordChange(ctx, request, reply, returnTo, problem, 400);
    }
    await changeOwnPassword(db, user, next, Object.assign({}, audit, { sourceIp: request.ip }));
    clearCookie(ctx, reply, PENDING_COOKIE);
    await startSession(ctx, reply, pending.tenantId, user.id);
    return reply.code(303).header('Location', returnTo).header('Cache-Control', 'no-store').send();
  });
}
