/**
 * Every way the guard can refuse a request. Closed, so callers can `switch (err.code)` exhaustively.
 *
 * @example
 * ```ts
 * try { await verifier.verify(header) } catch (err) {
 *   if (err instanceof GuardError && err.code === 'TOKEN_EXPIRED') reply.code(401)
 * }
 * ```
 */
export type GuardErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_REVOKED'
  | 'KEY_UNKNOWN'
  | 'CONTROL_PLANE_UNREACHABLE'
  | 'PERMISSION_DENIED';

/**
 * Error thrown by the guard. `status` is the HTTP status a resource server should answer with.
 *
 * @example
 * ```ts
 * throw new GuardError('TOKEN_REVOKED', 'token has been revoked')
 * ```
 */
export class GuardError extends Error {
  readonly code: GuardErrorCode;
  readonly status: 401 | 403;

  constructor(code: GuardErrorCode, message: string) {
    super(message);
    this.name = 'GuardError';
    this.code = code;
    this.status = code === 'PERMISSION_DENIED' ? 403 : 401;
  }
}
