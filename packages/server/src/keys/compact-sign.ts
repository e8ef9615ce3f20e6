import type { KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../config/config.js';
import { signInPlace, signOffEventLoop, type SignOptions } from './sign-worker.js';

/** How node:crypto signs for each algorithm Tessera issues with (RFC 7518 §3, RFC 8037). */
const SIGN_OPTIONS: Record<SigningAlgorithm, SignOptions> = {
  // JWS wants the raw r‖s pair, not DER.
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  RS256: { hash: 'sha256' },
  // Ed25519 hashes internally.
  EdDSA: { hash: null },
};

/**
 * A JWS in compact serialization (RFC 7515 §7.1), signed with node:crypto on a worker thread.
 *
 * Why not jose's `CompactSign` (which every verifier here still uses): jose 6 signs through
 * WebCrypto, whose every call adds algorithm normalisation and WebIDL conversions; on the token
 * endpoint that cost about a third of the throughput (bench/README.md). Why not synchronous
 * `crypto.sign`: an ES256 signature is 40–50 µs of CPU, a fifth of a token request's time on the
 * event loop. The signatures of one turn of the event loop go to a worker thread together
 * (`keys/sign-worker.ts`), so they run on another core while the event loop serves other requests.
 * A key marked `offEventLoop: false` (a process with one CPU: `crypto/cpu-budget.ts`) is signed in
 * place, where a second thread would only take turns with the event loop.
 * The bytes are the same kind jose produces: base64url header and payload, signature over
 * `header.payload`, ECDSA as raw r‖s. Tests verify every algorithm with jose's `compactVerify`.
 *
 * @example
 * ```ts
 * const jwt = await compactSign({ alg: 'ES256', keyObject }, { alg: 'ES256', kid, typ: 'at+jwt' }, JSON.stringify(claims))
 * ```
 */
export async function compactSign(
  key: { alg: SigningAlgorithm; keyObject: KeyObject; offEventLoop?: boolean },
  header: { alg: SigningAlgorithm; kid: string; typ: string },
  payload: string,
): Promise<string> {
  if (header.alg !== key.alg) throw new Error(`header alg ${header.alg} does not match key alg ${key.alg}`);
  const options = SIGN_OPTIONS[key.alg];
  const input = `${base64url(JSON.stringify(header))}.${base64url(payload)}`;
  const signature =
    key.offEventLoop === false
      ? signInPlace(key.keyObject, options, input)
      : await signOffEventLoop(key.keyObject, options, input);
  return `${input}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
