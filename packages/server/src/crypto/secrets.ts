import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new credential secret: 256 random bits, base64url. Shown to its owner once, never stored.
 *
 * @example
 * ```ts
 * const secret = generateSecret() // 'q3J8…' (43 characters)
 * ```
 */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The only form in which a secret is stored: HMAC-SHA-256 under the server pepper, hex.
 * A fast keyed hash is right here (unlike passwords): secrets carry 256 bits of entropy, so there is
 * nothing to brute-force, and the token endpoint must stay fast.
 */
export function hashSecret(pepper: Buffer, secret: string): string {
  return createHmac('sha256', pepper).update(secret, 'utf8').digest('hex');
}

/**
 * Does `secret` match any of `hashes`? Every candidate is compared in constant time, and the work
 * does not depend on which one matched, so timing tells nothing.
 *
 * @example
 * ```ts
 * if (!secretMatches(pepper, body.AppSecret, rows.map((r) => r.secret_hash))) throw badCredentials()
 * ```
 */
export function secretMatches(pepper: Buffer, secret: string, hashes: readonly string[]): boolean {
  const presented = Buffer.from(hashSecret(pepper, secret), 'hex');
  let matched = false;
  for (const hash of hashes) {
    const stored = Buffer.from(hash, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) matched = true;
  }
  return matched;
}
