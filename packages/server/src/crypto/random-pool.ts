import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the CSPRNG at once; one refill serves 256 token ids. */
const POOL_SIZE = 4096;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `n` cryptographically random bytes from a pool refilled 4 KiB at a time. `uuid`'s v7 asks
 * WebCrypto's `getRandomValues` for 16 bytes on every call, which was ~5 % of a token request's CPU
 * (bench/README.md); one `randomFillSync` per 256 ids costs nothing measurable. The returned view
 * is only valid until the next call: use it at once (as `uuidv7({ random })` does).
 *
 * @example
 * ```ts
 * const jti = uuidv7({ msecs: Date.now(), random: pooledRandomBytes(16) })
 * ```
 */
export function pooledRandomBytes(n: number): Uint8Array {
  if (n > POOL_SIZE) throw new RangeError(`at most ${POOL_SIZE} bytes at once`);
  if (offset + n > pool.length) {
    if (pool.length === 0) pool = Buffer.allocUnsafe(POOL_SIZE);
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}
