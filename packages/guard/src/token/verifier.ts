import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GuardError } from '../errors.js';
import type { AccessTokenClaims } from './claims.js';

/** Options for {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** Accepted `iss` value(s). */
  issuer: string | string[];
  /** Accepted `aud` value(s). */
  audience: string | string[];
  /** Where signing keys come from: `createRemoteJWKSet(url)` on a cluster, the key store on the control plane. */
  keys: JWTVerifyGetKey;
  /** Algorithm allow-list. Anything else, `none` and HS* included, is refused before any key is used. */
  algorithms?: string[];
  /** Clock skew tolerated on `exp`/`nbf`/`iat`, in seconds. Capped at 300. Default 30. */
  clockToleranceSec?: number;
  /** Called on every request, cached or not, so a revocation takes effect at once. */
  isRevoked?: (claims: AccessTokenClaims) => boolean | Promise<boolean>;
  /** How many verified tokens to keep, so a hot path costs a map lookup, not a signature check. */
  cacheSize?: number;
  /**
   * Consulted before verifying a token not in the cache. Returning false refuses it
   * (`CONTROL_PLANE_UNREACHABLE`): a cluster that lost its revocation feed keeps serving the tokens it
   * already checked but takes no new ones.
   */
  acceptUncached?: () => boolean;
  /** Clock, for tests. */
  now?: () => number;
}

/** A verifier made by {@link createTokenVerifier}. */
export interface TokenVerifier {
  /** Verifies the value of an `Authorization` header (`Bearer <jwt>`). */
  verifyHeader(header: string | undefined): Promise<AccessTokenClaims>;
  /** Verifies a bare compact JWT. */
  verify(token: string): Promise<AccessTokenClaims>;
  /**
   * {@link TokenVerifier.verifyHeader} at once, for a token verified before: its cached claims when
   * they are unexpired and not revoked; undefined when the token must go through `verifyHeader`
   * (not cached, expired, or a revocation hook that answers asynchronously). Throws the same
   * errors as `verifyHeader` for a missing or malformed header and a revoked token.
   */
  verifyHeaderCached(header: string | undefined): AccessTokenClaims | undefined;
  /** Forgets cached verifications (e.g. after a key is withdrawn). */
  clear(): void;
}

const DEFAULT_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'];
const SUBJECT_TYPES = new Set(['user', 'app', 'service-account', 'cluster']);

/**
 * Creates a bearer-token verifier for Tessera access tokens: signature against an algorithm
 * allow-list, `typ: at+jwt`, `iss`, `aud`, `exp`, `nbf` with bounded skew, then the revocation hook.
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet } from 'jose'
 * const verifier = createTokenVerifier({
 *   issuer: 'https://tessera.example',
 *   audience: 'runai',
 *   keys: createRemoteJWKSet(new URL('https://tessera.example/.well-known/jwks.json')),
 * })
 * const claims = await verifier.verifyHeader(request.headers.authorization)
 * ```
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  const clockTolerance = Math.min(Math.max(options.clockToleranceSec ?? 30, 0), 300);
  const cacheSize = options.cacheSize ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, AccessTokenClaims>();

  async function checkRevocation(claims: AccessTokenClaims): Promise<AccessTokenClaims> {
    return unlessRevoked(claims, await options.isRevoked?.(claims));
  }

  /** The cached claims of a token, while unexpired; an expired entry is dropped. */
  function cachedClaims(token: string): AccessTokenClaims | undefined {
    const cached = cache.get(token);
    if (!cached) return undefined;
    if ((cached.exp + clockTolerance) * 1000 > now()) return cached;
    cache.delete(token);
    return undefined;
  }

  async function verify(token: string): Promise<AccessTokenClaims> {
    const cached = cachedClaims(token);
    if (cached) return checkRevocation(cached);
    if (options.acceptUncached && !options.acceptUncached()) {
      throw new GuardError(
        'CONTROL_PLANE_UNREACHABLE',
        'control plane unreachable: new tokens cannot be checked',
      );
    }
    if (token.split('.').length !== 3) throw new GuardError('TOKEN_MALFORMED', 'token is not a compact JWS');
    const claims = await verifySignatureAndClaims(token);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(token, claims);
    return checkRevocation(claims);
  }

  async function verifySignatureAndClaims(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance,
        typ: 'at+jwt',
        requiredClaims: REQUIRED_CLAIMS,
        currentDate: new Date(now()),
      });
      if (typeof payload.tenant_id !== 'number' || !SUBJECT_TYPES.has(payload.subject_type as string)) {
        throw new GuardError('TOKEN_INVALID', 'token lacks tenant_id or subject_type');
      }
      return payload as unknown as AccessTokenClaims;
    } catch (err) {
      throw toGuardError(err);
    }
  }

  return {
    verify,
    async verifyHeader(header) {
      return verify(tokenOf(header));
    },
    verifyHeaderCached(header) {
      const cached = cachedClaims(tokenOf(header));
      const revoked = cached && options.isRevoked?.(cached);
      if (!cached || revoked instanceof Promise) return undefined;
      return unlessRevoked(cached, revoked);
    },
    clear: () => cache.clear(),
  };
}

/** The claims, or `TOKEN_REVOKED` when the revocation hook said so. */
function unlessRevoked(claims: AccessTokenClaims, revoked: boolean | undefined): AccessTokenClaims {
  if (revoked) throw new GuardError('TOKEN_REVOKED', 'token has been revoked');
  return claims;
}

/** The token of an `Authorization: Bearer <token>` header. */
function tokenOf(header: string | undefined): string {
  if (!header) throw new GuardError('TOKEN_MISSING', 'missing Authorization header');
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw new GuardError('TOKEN_MALFORMED', 'Authorization header is not "Bearer <token>"');
  return match[1];
}

function toGuardError(err: unknown): GuardError {
  if (err instanceof GuardError) return err;
  if (err instanceof errors.JWTExpired) return new GuardError('TOKEN_EXPIRED', 'token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || err.claim === 'iat')
      return new GuardError('TOKEN_NOT_YET_VALID', 'token is not yet valid');
    return new GuardError('TOKEN_INVALID', `token claim "${err.claim}" is not acceptable`);
  }
  if (err instanceof errors.JWKSNoMatchingKey)
    return new GuardError('KEY_UNKNOWN', 'token signed by an unknown key');
  if (err instanceof errors.JOSEAlgNotAllowed)
    return new GuardError('TOKEN_INVALID', 'token algorithm not allowed');
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return new GuardError('TOKEN_INVALID', 'token signature is invalid');
  if (err instanceof errors.JOSEError) return new GuardError('TOKEN_MALFORMED', 'token is malformed');
  return new GuardError('TOKEN_INVALID', 'token could not be verified');
}
