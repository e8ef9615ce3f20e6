/**
 * Every error Tessera answers with, in one registry: a stable code, its HTTP status and the
 * default message of the Run:ai error body `{code, message, details?}`.
 * Callers `switch (err.code)`; clients may rely on `code` in logs and audit events.
 */
export const ERRORS = {
  INVALID_REQUEST: { status: 400, message: 'Bad request' },
  UNSUPPORTED_GRANT_TYPE: { status: 400, message: 'Unsupported grant type' },
  UNSUPPORTED_MEDIA_TYPE: { status: 400, message: 'Unsupported content type' },
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid credentials' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: 'Password change required' },
  FORBIDDEN: { status: 403, message: 'Forbidden' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  CONFLICT: { status: 409, message: 'Conflict' },
  BODY_TOO_LARGE: { status: 413, message: 'Request body too large' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  INTERNAL: { status: 500, message: 'Internal server error' },
  UNAVAILABLE: { status: 503, message: 'Service unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

/** The closed set of error codes. */
export type ErrorCode = keyof typeof ERRORS;

/** Run:ai's error body, as in the spec's `Error` schema. */
export interface ErrorBody {
  code: number;
  message: string;
  details?: string;
}

/**
 * An error that maps to a response. `message` is safe to show to the caller; never put a secret in it.
 *
 * @example
 * ```ts
 * throw new TesseraError('INVALID_REQUEST', 'name: must match ^[a-z][-_a-z0-9]*[a-z0-9]$')
 * ```
 */
export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: string | undefined;
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { details?: string; headers?: Record<string, string> } = {},
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'TesseraError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** The Run:ai error body for this error. */
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.status, message: this.message }
      : { code: this.status, message: this.message, details: this.details };
  }
}

/**
 * Shorthand for a 400 naming the field at fault.
 *
 * @example
 * ```ts
 * if (!body.name) throw invalidField('name', 'is required')
 * ```
 */
export function invalidField(field: string, problem: string): TesseraError {
  return new TesseraError('INVALID_REQUEST', `${field}: ${problem}`);
}
