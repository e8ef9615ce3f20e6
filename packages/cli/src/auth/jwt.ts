/**
 * The payload of a JWT, decoded without verifying it (the CLI only reads `exp` and names from
 * its own tokens); undefined when it is not a JWT.
 *
 * @example
 * ```ts
 * decodeJwtPayload(token)?.exp // 1767225600
 * ```
 */
export function decodeJwtPayload(token: string | undefined): Record<string, unknown> | undefined {
  const part = token?.split('.')[1];
  if (!part) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Is the token usable for at least `marginSec` more seconds? Non-JWTs count as expired. */
export function isFresh(token: string | undefined, marginSec = 30, now = Date.now()): boolean {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' && exp * 1000 > now + marginSec * 1000;
}
