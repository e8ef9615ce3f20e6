import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { longThreadPoolJob } from './thread-pool.js';

/** OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes a password with argon2id (OWASP parameters); the encoded result carries its own salt and
 * parameters, so they can be raised later without breaking old hashes.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('correct horse battery staple')
 * ```
 */
export function hashPassword(password: string): Promise<string> {
  return longThreadPoolJob(() => argon2.hash(password, ARGON2_OPTIONS));
}

// A real hash of a random password, so an unknown user costs the same time as a known one.
let decoy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash; with no hash (unknown user) it still spends the same
 * time, so response time does not reveal which emails exist.
 */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    const hash = await decoy;
    await longThreadPoolJob(() => argon2.verify(hash, password)).catch(() => false);
    return false;
  }
  try {
    return await longThreadPoolJob(() => argon2.verify(stored, password));
  } catch {
    return false;
  }
}

/**
 * A password for a human to type once: 20 characters from an unambiguous alphabet (~115 bits).
 *
 * @example
 * ```ts
 * generatePassword() // 'kq7Rv9mXzT2pWb4HnE8s'
 * ```
 */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : generatePassword();
}
