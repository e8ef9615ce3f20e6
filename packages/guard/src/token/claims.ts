/**
 * Who a token speaks for: the spec's subject types for access rules, plus `cluster` for a Cluster
 * API's own credentials (accepted only by the change feed, never by admin or workload APIs).
 */
export type SubjectType = 'user' | 'app' | 'service-account' | 'cluster';

/**
 * Claims of a Tessera access token (RFC 9068 profile). Permissions are deliberately absent:
 * they are evaluated against access rules at request time so that a change takes effect at once.
 *
 * @example
 * ```ts
 * const claims: AccessTokenClaims = await verifier.verify(req.headers.authorization)
 * claims.subject_type // 'app'
 * ```
 */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  tenant_id: number;
  subject_type: SubjectType;
  email?: string;
  name?: string;
  preferred_username?: string;
  groups?: string[];
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The instant a token was minted, in milliseconds. `iat` only has second precision, which is too
 * coarse to tell a token minted just before a secret rotation from one minted just after it, so
 * Tessera uses a UUIDv7 `jti`, whose first 48 bits are the Unix time in milliseconds.
 * Falls back to `iat` for a `jti` that is not a UUIDv7.
 *
 * @example
 * ```ts
 * issuedAtMs({ jti: '019ac7a0-5c3e-7d6b-9a51-0c9f3f1d2e4a', iat: 1764300000 }) // 1764301503550
 * ```
 */
export function issuedAtMs(claims: Pick<AccessTokenClaims, 'jti' | 'iat'>): number {
  if (typeof claims.jti === 'string' && UUID_V7.test(claims.jti)) {
    return parseInt(claims.jti.slice(0, 8) + claims.jti.slice(9, 13), 16);
  }
  return claims.iat * 1000;
}
