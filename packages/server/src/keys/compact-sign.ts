import { sign, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../config/config.js';
import { threadPoolHeld } from '../crypto/thread-pool.js';

/** How node:crypto signs for each algorithm Tessera issues with (RFC 7518 §3, RFC 8037). */
const SIGN_OPTIONS: Record<SigningAlgorithm, { hash: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  // JWS wants the raw r‖s pair, not DER.
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  RS256: { hash: 'sha256' },
  // Ed25519 hashes internally.
  EdDSA: { hash: null },
};

/**
 * A JWS in compact serialization (RFC 7515 §7.1), signed with node:crypto on libuv's thread pool.
 *
 * Why not jose's `CompactSign` (which every verifier here still uses): jose 6 signs through
 * WebCrypto, whose every call adds algorithm normalisation and WebIDL conversions; on the token
 * endpoint that cost about a third of the throughput (bench/README.md). Why not synchronous
 * `crypto.sign`: an ES256 signature is 40–50 µs of CPU, a fifth of a token request's time on the
 * event loop; given a callback, node:crypto computes it on the thread pool, so it runs on another
 * core while the event loop serves other requests (12 µs of event-loop time per signature here).
 * It signs on the event loop instead while argon2id hashes hold the pool (`crypto/thread-pool.ts`),
 * rather than wait behind them, and for a key marked `onThreadPool: false` (a process with one
 * CPU: `crypto/cpu-budget.ts`).
 * The bytes are the same kind jose produces: base64url header and payload, signature over
 * `header.payload`, ECDSA as raw r‖s. Tests verify every algorithm with jose's `compactVerify`.
 *
 * @example
 * ```ts
 * const jwt = await compactSign({ alg: 'ES256', keyObject }, { alg: 'ES256', kid, typ: 'at+jwt' }, JSON.stringify(claims))
 * ```
 */
export async function compactSign(
  key: { alg: SigningAlgorithm; keyObject: KeyObject; onThreadPool?: boolean },
  header: { alg: SigningAlgorithm; kid: string; typ: string },
  payload: string,
): Promise<string> {
  if (header.alg !== key.alg) throw new Error(`header alg ${header.alg} does not match key alg ${key.alg}`);
  const { hash, dsaEncoding } = SIGN_OPTIONS[key.alg];
  const input = `${base64url(JSON.stringify(header))}.${base64url(payload)}`;
  const data = Buffer.from(input, 'latin1');
  const options = { key: key.keyObject, dsaEncoding };
  const signature =
    key.onThreadPool === false || threadPoolHeld()
      ? sign(hash, data, options)
      : await new Promise<Buffer>((resolve, reject) =>
          sign(hash, data, options, (error, signed) => (error ? reject(error) : resolve(signed))),
        );
  return `${input}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
