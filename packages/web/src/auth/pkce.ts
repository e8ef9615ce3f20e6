import { sha256 } from './sha256.js';

/** Base64url without padding (RFC 7636 §3). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh random string of `bytes` random bytes, base64url-encoded. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * A PKCE pair: a 43-character verifier and its S256 challenge. Uses WebCrypto when the page is a
 * secure context and a small SHA-256 otherwise (plain-HTTP deployments have no `crypto.subtle`).
 *
 * @example
 * ```ts
 * const { verifier, challenge } = await pkcePair()
 * ```
 */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  const data = new TextEncoder().encode(verifier);
  const digest = globalThis.crypto?.subtle
    ? new Uint8Array(await crypto.subtle.digest('SHA-256', data))
    : sha256(data);
  return { verifier, challenge: base64url(digest) };
}
