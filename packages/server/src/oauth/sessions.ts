import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import { generateSecret, hashSecret } from '../crypto/secrets.js';
import { oauthPolicy } from './policy.js';

export const SESSION_COOKIE = 'tessera_session';
export const CSRF_COOKIE = 'tessera_csrf';

/** A signed-in browser. */
export interface BrowserSession {
  userId: string;
  tenantId: number;
  authTime: number;
}

/**
 * Cookies of a request, by name (first occurrence wins).
 *
 * @example
 * ```ts
 * readCookies(request).tessera_session
 * ```
 */
export function readCookies(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !Object.hasOwn(out, name)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

function cookie(
  ctx: Context,
  name: string,
  value: string,
  maxAgeSec: number,
  sameSite: 'Lax' | 'Strict',
): string {
  const secure = ctx.issuer().startsWith('https:') ? '; Secure' : '';
  return `${name}=${value}; Path=/; HttpOnly; SameSite=${sameSite}; Max-Age=${maxAgeSec}${secure}`;
}

/**
 * Sets (or, with `maxAgeSec` 0, clears) an HttpOnly cookie for the whole site, Secure over TLS.
 *
 * @example
 * ```ts
 * setBrowserCookie(ctx, reply, 'tessera_broker', sealed, 600, 'Lax')
 * ```
 */
export function setBrowserCookie(
  ctx: Context,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeSec: number,
  sameSite: 'Lax' | 'Strict',
): void {
  addCookie(reply, cookie(ctx, name, value, maxAgeSec, sameSite));
}

/** Appends a Set-Cookie header (several may be sent). */
function addCookie(reply: FastifyReply, value: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('set-cookie', [...list, value]);
}

/**
 * The browser's session, if its cookie names a live one; touching it slides the idle timeout.
 *
 * @example
 * ```ts
 * const session = await currentSession(ctx, request)
 * ```
 */
export async function currentSession(
  ctx: Context,
  request: FastifyRequest,
  now = Date.now(),
): Promise<BrowserSession | undefined> {
  const id = readCookies(request)[SESSION_COOKIE];
  if (!id) return undefined;
  const db = ctx.store.db;
  const hash = hashSecret(ctx.master.pepper, id);
  const row = await db
    .selectFrom('browser_sessions')
    .selectAll()
    .where('id_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const policy = await oauthPolicy(ctx, row.tenant_id);
  if (row.last_seen_at + policy.sessionIdleTimeoutSec * 1000 <= now) {
    await db.deleteFrom('browser_sessions').where('id_hash', '=', hash).execute();
    return undefined;
  }
  const user = await db
    .selectFrom('users')
    .select(['enabled', 'tokens_valid_after'])
    .where('id', '=', row.user_id)
    .executeTakeFirst();
  if (!user || !user.enabled || user.tokens_valid_after > row.auth_time) return undefined;
  await db.updateTable('browser_sessions').set({ last_seen_at: now }).where('id_hash', '=', hash).execute();
  return { userId: row.user_id, tenantId: row.tenant_id, authTime: row.auth_time };
}

/**
 * Starts a session for a user who just signed in and sets its cookie.
 *
 * @example
 * ```ts
 * await startSession(ctx, reply, tenantId, user.id)
 * ```
 */
export async function startSession(
  ctx: Context,
  reply: FastifyReply,
  tenantId: number,
  userId: string,
  now = Date.now(),
): Promise<void> {
  const id = generateSecret();
  await ctx.store.db
    .insertInto('browser_sessions')
    .values({
      id_hash: hashSecret(ctx.master.pepper, id),
      tenant_id: tenantId,
      user_id: userId,
      auth_time: now,
      last_seen_at: now,
    })
    .execute();
  const policy = await oauthPolicy(ctx, tenantId);
  addCookie(reply, cookie(ctx, SESSION_COOKIE, id, policy.sessionIdleTimeoutSec, 'Lax'));
}

/**
 * Ends the browser's session (if any) and clears its cookie. Returns the user it belonged to.
 *
 * @example
 * ```ts
 * const userId = await endSession(ctx, request, reply)
 * ```
 */
export async function endSession(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<string | undefined> {
  const id = readCookies(request)[SESSION_COOKIE];
  addCookie(reply, cookie(ctx, SESSION_COOKIE, '', 0, 'Lax'));
  if (!id) return undefined;
  const hash = hashSecret(ctx.master.pepper, id);
  const row = await ctx.store.db
    .selectFrom('browser_sessions')
    .select('user_id')
    .where('id_hash', '=', hash)
    .executeTakeFirst();
  await ctx.store.db.deleteFrom('browser_sessions').where('id_hash', '=', hash).execute();
  return row?.user_id;
}

/**
 * The CSRF token for a form (double-submit: an HttpOnly SameSite=Strict cookie and a hidden field
 * that must match). Reuses the browser's token when it has one.
 *
 * @example
 * ```ts
 * const csrf = csrfToken(ctx, request, reply) // put it in a hidden field
 * ```
 */
export function csrfToken(ctx: Context, request: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookies(request)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  addCookie(reply, cookie(ctx, CSRF_COOKIE, token, 3600, 'Strict'));
  return token;
}

/**
 * Does the form's CSRF field match the cookie, and does the Origin (if sent) match ours?
 *
 * @example
 * ```ts
 * if (!csrfValid(ctx, request, params.csrf)) return reply.code(403).send()
 * ```
 */
export function csrfValid(ctx: Context, request: FastifyRequest, field: string | undefined): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== new URL(ctx.issuer()).origin) return false;
  const cookieValue = readCookies(request)[CSRF_COOKIE];
  if (!cookieValue || !field || cookieValue.length !== field.length) return false;
  return timingSafeEqual(Buffer.from(cookieValue), Buffer.from(field));
}
