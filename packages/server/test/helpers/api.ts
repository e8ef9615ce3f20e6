import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server-process.js';

/** A JSON response as the tests see it. */
export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Sends a JSON request over the real socket; `body` objects are JSON-encoded.
 *
 * @example
 * ```ts
 * const res = await call(url, 'POST', '/api/v1/apps', { name: 'ci' }, token)
 * ```
 */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** The bootstrap administrator's access token, through the password grant. */
export async function adminToken(base: string): Promise<string> {
  const res = await call<{ accessToken: string }>(base, 'POST', '/api/v1/token', {
    grantType: 'password',
    username: ADMIN_EMAIL,
    password: ADMIN_PASSWORD,
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}
