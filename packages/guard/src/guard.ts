import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { isAllowed, type ScopeRef } from './authorization/evaluate.js';
import type { Action } from './authorization/roles.js';
import { GuardError } from './errors.js';
import { startFeedSync, type FeedSync } from './sync/feed-client.js';
import { SyncedState } from './sync/state.js';
import type { AccessTokenClaims } from './token/claims.js';
import { createTokenVerifier, type TokenVerifier } from './token/verifier.js';
import type { RuleGrant } from './authorization/evaluate.js';

/** Options for {@link createGuard}. */
export interface GuardOptions {
  /** Base URL of the control plane. JWKS, the token endpoint and the change feed live there. */
  controlPlaneUrl: string;
  /** This service's credentials (a cluster's UUID and secret from its install info). */
  clientId: string;
  clientSecret: string;
  /** Reported to the control plane with every feed request. */
  version?: string;
  /** Where signing keys come from. Default: the control plane's JWKS, refetched on an unknown `kid`. */
  keys?: JWTVerifyGetKey;
  /** Least time between two JWKS fetches caused by unknown `kid`s, in ms. Default 5 000. */
  jwksCooldownMs?: number;
  /** Verified tokens kept in memory. Default 10 000. */
  cacheSize?: number;
  /** Do not connect to the feed; the caller fills `guard.state` (tests, benchmarks). */
  manualSync?: boolean;
  /** Connection events, for logs. */
  onEvent?: (event: { type: 'synced' | 'connected' | 'disconnected'; error?: string }) => void;
}

/** A verified caller: its claims and the access rules that apply to it right now. */
export interface GuardPrincipal {
  claims: AccessTokenClaims;
  rules: RuleGrant[];
}

/** What {@link createGuard} returns. */
export interface Guard {
  readonly state: SyncedState;
  /** Resolves once the first snapshot is in (at once with `manualSync` after `state.applySnapshot`). */
  readonly ready: Promise<void>;
  /** Has the guard synced at least once? */
  isReady(): boolean;
  /** Is the change feed connected right now? */
  isConnected(): boolean;
  /** Verifies an `Authorization` header: signature, claims, revocation. Throws a {@link GuardError}. */
  authenticate(header: string | undefined): Promise<GuardPrincipal>;
  /**
   * {@link Guard.authenticate} at once for a token the guard has verified before (the hot path: a
   * map lookup and the revocation check, no promise); undefined when the token must go through
   * `authenticate`. Throws the same {@link GuardError}s.
   */
  authenticateCached(header: string | undefined): GuardPrincipal | undefined;
  /** May the principal do `action` on `resourceType` at the scope `ancestry` describes? */
  can(
    principal: GuardPrincipal,
    resourceType: string,
    action: Action,
    ancestry: readonly ScopeRef[],
  ): boolean;
  /** Like {@link Guard.can} but throws `PERMISSION_DENIED` (403). */
  require(
    principal: GuardPrincipal,
    resourceType: string,
    action: Action,
    ancestry: readonly ScopeRef[],
  ): void;
  stop(): void;
}

/**
 * Protects a service with Tessera tokens: verifies bearer JWTs locally against the control plane's
 * JWKS, keeps access rules, the org hierarchy and revocations in memory from the change feed, and
 * answers permission questions with the same code the control plane runs. While the feed is down,
 * tokens it has already verified keep working; tokens it has never seen are refused.
 *
 * @example
 * ```ts
 * const guard = createGuard({ controlPlaneUrl: 'https://tessera.example', clientId, clientSecret })
 * await guard.ready
 * const principal = await guard.authenticate(req.headers.authorization)
 * guard.require(principal, 'trainings', 'create', guard.state.ancestryOf(project))
 * ```
 */
export function createGuard(options: GuardOptions): Guard {
  const base = options.controlPlaneUrl.replace(/\/+$/, '');
  const state = new SyncedState();
  const remote = options.keys
    ? undefined
    : createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`), {
        cooldownDuration: options.jwksCooldownMs ?? 5_000,
        timeoutDuration: 5_000,
      });
  const keys = options.keys ?? (remote as JWTVerifyGetKey);
  let sync: FeedSync | undefined;
  let verifier: TokenVerifier | undefined;
  let verifierFor = '';
  let verifiedIdentity: object | undefined;

  if (!options.manualSync) {
    sync = startFeedSync({
      controlPlaneUrl: base,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      version: options.version,
      state,
      onKeysChanged: () => remote?.reload().catch(() => {}),
      onEvent: options.onEvent,
    });
  }

  function currentVerifier(): TokenVerifier {
    const identity = state.identity;
    if (!identity) throw new GuardError('CONTROL_PLANE_UNREACHABLE', 'not synced with the control plane yet');
    // Called on every request: the key is only rebuilt when a snapshot brought a new identity object.
    if (verifier && identity === verifiedIdentity) return verifier;
    verifiedIdentity = identity;
    const key = `${identity.issuer} ${identity.audience}`;
    if (!verifier || verifierFor !== key) {
      verifierFor = key;
      verifier = createTokenVerifier({
        issuer: identity.issuer,
        audience: identity.audience,
        keys,
        cacheSize: options.cacheSize,
        isRevoked: (claims) => state.isRevoked(claims),
        acceptUncached: () => !sync || sync.connected(),
      });
    }
    return verifier;
  }

  const can: Guard['can'] = (principal, resourceType, action, ancestry) =>
    isAllowed(principal.rules, { resourceType, action, ancestry });

  return {
    state,
    ready: sync?.ready ?? Promise.resolve(),
    isReady: () => state.synced,
    isConnected: () => !sync || sync.connected(),
    async authenticate(header) {
      const claims = await currentVerifier().verifyHeader(header);
      return { claims, rules: state.rulesFor(claims) };
    },
    authenticateCached(header) {
      const claims = currentVerifier().verifyHeaderCached(header);
      return claims && { claims, rules: state.rulesFor(claims) };
    },
    can,
    require(principal, resourceType, action, ancestry) {
      if (!can(principal, resourceType, action, ancestry)) {
        throw new GuardError('PERMISSION_DENIED', `not permitted to ${action} ${resourceType}`);
      }
    },
    stop: () => sync?.stop(),
  };
}
