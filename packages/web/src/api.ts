import { TesseraApiError, TesseraClient } from '@tessera/client';
import { accessToken, dropSession, SessionExpired } from './auth/session.js';

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called when the server rejects this tab's token (401): the session is over. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

function expired(): never {
  dropSession();
  for (const listener of expiredListeners) listener();
  throw new SessionExpired();
}

/** fetch that ends the session on 401 and never lets a non-JSON body reach the client's parser. */
const guardedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.status === 401) expired();
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok && !type.includes('json')) {
    return new Response(JSON.stringify({ code: res.status, message: `The server answered ${res.status}.` }), {
      status: res.status,
      headers: { 'content-type': 'application/json' },
    });
  }
  return res;
};

/**
 * The API client the pages use: same origin, the signed-in tab's bearer token, refreshed as needed.
 *
 * @example
 * ```ts
 * const apps = await api.apps.list()
 * ```
 */
export const api = new TesseraClient({
  baseUrl: '',
  fetch: guardedFetch,
  token: async () => {
    try {
      return await accessToken();
    } catch (err) {
      if (err instanceof SessionExpired) expired();
      throw err;
    }
  },
});

const STATUS_TEXT: Record<number, string> = {
  403: 'You do not have permission to do this',
  404: 'Not found',
  409: 'This conflicts with something that already exists',
  413: 'The request is too large',
  429: 'Too many requests; wait a moment and try again',
};

/**
 * A readable sentence for any error a page may see — never raw JSON.
 *
 * @example
 * ```ts
 * readableError(new TesseraApiError(409, { code: 409, message: 'name: already exists' }))
 * // 'This conflicts with something that already exists: name: already exists'
 * ```
 */
export function readableError(err: unknown): string {
  if (err instanceof SessionExpired) return err.message;
  if (err instanceof TesseraApiError) {
    const prefix =
      STATUS_TEXT[err.status] ?? (err.status >= 500 ? 'The server had a problem' : 'Request refused');
    const message = err.body?.message;
    return message && message !== prefix ? `${prefix}: ${message}` : `${prefix}.`;
  }
  if (err instanceof TypeError)
    return 'The server could not be reached. Check your connection and try again.';
  return 'Something went wrong. Try again.';
}
