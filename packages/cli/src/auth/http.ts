import { CliError, unreachable } from '../errors.js';

/** An HTTP answer with its body parsed as JSON when it is JSON. */
export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/**
 * Sends a request; a network failure becomes a readable {@link CliError} naming the URL. Never
 * throws for HTTP error statuses: callers decide what a 4xx means.
 *
 * @example
 * ```ts
 * const res = await send(`${url}/api/v1/token`, { method: 'POST', json: body })
 * ```
 */
export async function send<T = unknown>(
  url: string,
  init: {
    method?: string;
    json?: unknown;
    form?: Record<string, string>;
    token?: string;
    timeoutMs?: number;
  } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
  } catch (err) {
    throw unreachable(new URL(url).origin, err);
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text };
}

/** The server's message from a Run:ai `{code, message}` or OAuth `{error, error_description}` body. */
export function serverMessage(res: HttpAnswer): string {
  const body = res.body as { message?: unknown; error?: unknown; error_description?: unknown } | undefined;
  if (typeof body?.message === 'string') return body.message;
  if (typeof body?.error_description === 'string') return body.error_description;
  if (typeof body?.error === 'string') return body.error;
  return `HTTP ${res.status}`;
}

/** Throws a readable error for an unexpected status. */
export function failOn(res: HttpAnswer, what: string): never {
  throw new CliError(`${what} failed: ${serverMessage(res)} (HTTP ${res.status})`);
}
