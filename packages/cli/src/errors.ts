/** Exit codes: 0 ok, 1 failure, 2 usage, 3 login needed. */
export const EXIT = { ok: 0, failure: 1, usage: 2, loginNeeded: 3 } as const;

/**
 * An error meant for the user: a readable message, an optional hint, and the exit code.
 *
 * @example
 * ```ts
 * throw new CliError('not logged in', { exitCode: EXIT.loginNeeded, hint: 'run `runai login`' })
 * ```
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.hint = options.hint;
  }
}

/** The error for "no usable credentials": exit 3 and the command to run. */
export function loginNeeded(why: string): CliError {
  return new CliError(why, {
    exitCode: EXIT.loginNeeded,
    hint: 'run `runai login` (or `runai login user -u EMAIL`, `runai login application --name NAME --secret SECRET`)',
  });
}

/** The error for a usage mistake: exit 2. */
export function usageError(message: string): CliError {
  return new CliError(message, { exitCode: EXIT.usage, hint: 'see `runai --help`' });
}

/**
 * Turns a network failure into a readable error naming the URL.
 *
 * @example
 * ```ts
 * try { await fetch(url) } catch (err) { throw unreachable(url, err) }
 * ```
 */
export function unreachable(url: string, err: unknown): CliError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
  return new CliError(`cannot reach ${url} (${detail})`, {
    hint: 'check the URL with `runai config set --url URL` and that the server is running',
    cause: err,
  });
}
