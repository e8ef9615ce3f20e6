import { v7 as uuidv7 } from 'uuid';
import type { SubjectType } from '@tessera/guard';
import { pooledRandomBytes } from '../crypto/random-pool.js';
import { compactSign } from '../keys/compact-sign.js';
import type { KeyRing } from '../keys/key-ring.js';
import { pythonSafeJson } from './python-safe-json.js';

/** Who a token is for. */
export interface TokenSubject {
  id: string;
  type: SubjectType;
  tenantId: number;
  clientId: string;
  /** Users only. */
  email?: string;
  name?: string;
  groups?: string[];
}

/** What {@link mintAccessToken} returns. */
export interface MintedToken {
  token: string;
  jti: string;
  expiresIn: number;
}

/**
 * A new access token id: a UUIDv7 so that revocation can compare issue times at millisecond
 * precision (see `issuedAtMs` in the guard).
 *
 * @example
 * ```ts
 * const jti = newTokenId(Date.now())
 * ```
 */
export function newTokenId(nowMs: number): string {
  return uuidv7({ msecs: nowMs, random: pooledRandomBytes(16) });
}

/**
 * Signs an access token (RFC 9068 `at+jwt`) with the active key. `jti` is {@link newTokenId}'s
 * unless the caller made it first (to audit the token while it is being signed).
 *
 * @example
 * ```ts
 * const { token, expiresIn } = await mintAccessToken(ring, { issuer, audience: 'runai', ttlSec: 3600 }, subject)
 * ```
 */
export async function mintAccessToken(
  ring: KeyRing,
  options: { issuer: string; audience: string; ttlSec: number; now?: number; jti?: string },
  subject: TokenSubject,
): Promise<MintedToken> {
  const nowMs = options.now ?? Date.now();
  const iat = Math.floor(nowMs / 1000);
  const jti = options.jti ?? newTokenId(nowMs);
  const claims: Record<string, unknown> = {
    iss: options.issuer,
    sub: subject.id,
    aud: options.audience,
    exp: iat + options.ttlSec,
    iat,
    jti,
    client_id: subject.clientId,
    tenant_id: subject.tenantId,
    subject_type: subject.type,
  };
  if (subject.type === 'user') {
    claims.email = subject.email;
    claims.name = subject.name ?? subject.email;
    claims.preferred_username = subject.email;
    claims.groups = subject.groups ?? [];
  }
  const key = ring.active();
  const token = await compactSign(key, { alg: key.alg, kid: key.kid, typ: 'at+jwt' }, pythonSafeJson(claims));
  return { token, jti, expiresIn: options.ttlSec };
}
