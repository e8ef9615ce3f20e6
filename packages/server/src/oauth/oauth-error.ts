import type { FastifyError, FastifyInstance } from 'fastify';
import { TesseraError } from '../errors/registry.js';

/** RFC 6749 §5.2 (and RFC 8628 §3.5) error codes. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token'
  | 'invalid_token'
  | 'temporarily_unavailable'
  | 'unsupported_token_type';

/**
 * An error the OAuth endpoints answer with as `{error, error_description}`.
 *
 * @example
 * ```ts
 * throw new OAuthError('invalid_grant', 'the code has already been used')
 * ```
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(
    error: OAuthErrorCode,
    description: string,
    status?: number,
    headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = status ?? (error === 'invalid_client' ? 401 : error === 'invalid_token' ? 401 : 400);
    this.headers = headers;
  }
}

/**
 * Maps a thrown error to an OAuth error (Tessera errors keep their meaning).
 *
 * @example
 * ```ts
 * toOAuthError(new TesseraError('RATE_LIMITED'))?.error // 'temporarily_unavailable'
 * ```
 */
export function toOAuthError(err: FastifyError | Error): OAuthError | undefined {
  if (err instanceof OAuthError) return err;
  if (err instanceof TesseraError) {
    switch (err.code) {
      case 'INVALID_REQUEST':
      case 'UNSUPPORTED_MEDIA_TYPE':
      case 'BODY_TOO_LARGE':
        return new OAuthError('invalid_request', err.message, err.status);
      case 'UNSUPPORTED_GRANT_TYPE':
        return new OAuthError('unsupported_grant_type', err.message);
      case 'INVALID_CREDENTIALS':
        return new OAuthError('invalid_grant', err.message);
      case 'RATE_LIMITED':
        return new OAuthError('temporarily_unavailable', err.message, 429, err.headers);
      default:
        return undefined;
    }
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new OAuthError('invalid_request', fe.message, fe.statusCode === 413 ? 413 : 400);
  }
  return undefined;
}

/**
 * Installs, in an encapsulated scope, the form-body parser and an error handler that answers with
 * RFC 6749 bodies; anything else falls back to the server's handler.
 *
 * @example
 * ```ts
 * await app.register(async (scope) => { installOAuthScope(scope); scope.post('/oauth/x', handler) })
 * ```
 */
export function installOAuthScope(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => {
      const params = new URLSearchParams(body as string);
      const out: Record<string, string> = {};
      for (const [key, value] of params) {
        if (Object.hasOwn(out, key)) {
          done(new OAuthError('invalid_request', `${key}: is given more than once`), undefined);
          return;
        }
        out[key] = value;
      }
      done(null, out);
    },
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const oauth = toOAuthError(error);
    if (!oauth) throw error;
    for (const [name, value] of Object.entries(oauth.headers)) reply.header(name, value);
    if (oauth.status === 401 && oauth.error === 'invalid_client')
      reply.header('WWW-Authenticate', 'Basic realm="tessera"');
    if (oauth.error === 'invalid_token') reply.header('WWW-Authenticate', `Bearer error="invalid_token"`);
    request.log.debug({ error: oauth.error }, 'oauth error');
    return reply
      .code(oauth.status)
      .header('Cache-Control', 'no-store')
      .send({ error: oauth.error, error_description: oauth.message });
  });
}

/**
 * A form or JSON body as a flat string map; anything else is an invalid_request.
 *
 * @example
 * ```ts
 * const { grant_type } = formParams(request.body)
 * ```
 */
export function formParams(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError('invalid_request', 'body: must be application/x-www-form-urlencoded');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== 'string') throw new OAuthError('invalid_request', `${k}: must be a string`);
    if (v.length > 8192) throw new OAuthError('invalid_request', `${k}: is too long`);
    out[k] = v;
  }
  return out;
}
