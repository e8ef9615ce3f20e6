import { compactSign } from '../keys/compact-sign.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { TokenSubject } from './mint.js';
import { pythonSafeJson } from './python-safe-json.js';

/** What an ID token says beyond its subject. */
export interface IdTokenOptions {
  issuer: string;
  /** The client the token is for (`aud`, `azp`). */
  clientId: string;
  ttlSec: number;
  /** When the user authenticated, epoch ms. */
  authTime: number;
  nonce?: string;
  now?: number;
}

/**
 * Signs an OpenID Connect ID token for a user (`typ: JWT`), with `aud` = the client id so that a
 * kube-apiserver started with `--oidc-client-id=runai --oidc-username-claim=email
 * --oidc-groups-claim=groups` accepts it. The payload is Python-safe like every token we issue.
 *
 * @example
 * ```ts
 * const idToken = await mintIdToken(ring, subject, { issuer, clientId: 'runai', ttlSec: 3600, authTime })
 * ```
 */
export async function mintIdToken(
  ring: KeyRing,
  subject: TokenSubject,
  options: IdTokenOptions,
): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: Record<string, unknown> = {
    iss: options.issuer,
    sub: subject.id,
    aud: options.clientId,
    azp: options.clientId,
    exp: iat + options.ttlSec,
    iat,
    auth_time: Math.floor(options.authTime / 1000),
    // Users have an email; an application (legacy apptoken endpoint) has only its name.
    ...(subject.email ? { email: subject.email, email_verified: true } : {}),
    name: subject.name ?? subject.email,
    preferred_username: subject.email ?? subject.name,
    groups: subject.groups ?? [],
    tenant_id: subject.tenantId,
  };
  if (options.nonce !== undefined) claims.nonce = options.nonce;
  const key = ring.active();
  return compactSign(key, { alg: key.alg, kid: key.kid, typ: 'JWT' }, pythonSafeJson(claims));
}
