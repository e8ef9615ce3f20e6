import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import { readCookies, setBrowserCookie } from './sessions.js';

/**
 * Short-lived browser-bound state (a broker login in flight, a pending password change) kept in a
 * cookie sealed under the master key (AES-256-GCM): the browser can neither read nor forge it, and
 * every replica can open it, so nothing lives in one process's memory.
 */
interface Sealed {
  /** Expiry, epoch ms. */
  exp: number;
}

/**
 * Seals `payload` into cookie `name` for `maxAgeSec` seconds.
 *
 * @example
 * ```ts
 * setSealedCookie(ctx, reply, 'tessera_broker', { state, nonce }, 600, 'Lax')
 * ```
 */
export function setSealedCookie(
  ctx: Context,
  reply: FastifyReply,
  name: string,
  payload: object,
  maxAgeSec: number,
  sameSite: 'Lax' | 'Strict',
): void {
  const sealed = ctx.master.seal(
    JSON.stringify(Object.assign({}, payload, { exp: Date.now() + maxAgeSec * 1000 })),
  );
  setBrowserCookie(
    ctx,
    reply,
    name,
    Buffer.from(sealed, 'base64').toString('base64url'),
    maxAgeSec,
    sameSite,
  );
}

/**
 * The payload of cookie `name` if it opens and has not expired; undefined otherwise (missing,
 * tampered with, sealed under another master key, or stale).
 *
 * @example
 * ```ts
 * const pending = readSealedCookie<{ state: string }>(ctx, request, 'tessera_broker')
 * ```
 */
export function readSealedCookie<T extends object>(
  ctx: Context,
  request: FastifyRequest,
  name: string,
  now = Date.now(),
): T | undefined {
  const raw = readCookies(request)[name];
  if (!raw || raw.length > 8192) return undefined;
  try {
    const payload = JSON.parse(ctx.master.open(Buffer.from(raw, 'base64url').toString('base64'))) as T &
      Sealed;
    return typeof payload.exp === 'number' && payload.exp > now ? payload : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Clears cookie `name`.
 *
 * @example
 * ```ts
 * clearCookie(ctx, reply, 'tessera_broker')
 * ```
 */
export function clearCookie(ctx: Context, reply: FastifyReply, name: string): void {
  setBrowserCookie(ctx, reply, name, '', 0, 'Lax');
}
