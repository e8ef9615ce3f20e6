import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { IdentityProvider } from './model.js';

/** The parts of an upstream discovery document the broker uses. */
export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  token_endpoint_auth_methods_supported?: string[];
}

/**
 * Why talking to the upstream provider (or mapping its user) failed: `message` is shown to the
 * user on a 4xx page, `reason` goes to the audit log.
 *
 * @example
 * ```ts
 * throw new UpstreamError('The identity provider could not be reached.', 'discovery_failed')
 * ```
 */
export class UpstreamError extends Error {
  constructor(
    message: string,
    /** For the audit log. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

// Discovery documents and key sets change rarely; a process-local cache is safe (each replica
// fetches its own copy, nothing is decided from it that another replica must agree with).
const DISCOVERY_TTL_MS = 5 * 60_000;
const discoveries = new Map<string, { at: number; doc: Discovery }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
const UPSTREAM_TIMEOUT_MS = 10_000;
/** Asymmetric algorithms only: an HMAC-signed token would be keyed with the client secret. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * The provider's discovery document (cached for 5 minutes).
 *
 * @example
 * ```ts
 * const { authorization_endpoint } = await discover(idp)
 * ```
 */
export async function discover(idp: IdentityProvider, now = Date.now()): Promise<Discovery> {
  const url = idp.oidc.discoverDocumentUrl;
  const cached = discoveries.get(url);
  if (cached && now - cached.at < DISCOVERY_TTL_MS) return cached.doc;
  let doc: Partial<Discovery>;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = (await res.json()) as Partial<Discovery>;
  } catch (err) {
    throw new UpstreamError(
      `The identity provider "${idp.alias}" could not be reached.`,
      `discovery_failed: ${(err as Error).message}`.slice(0, 200),
    );
  }
  for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (typeof doc[key] !== 'string')
      throw new UpstreamError(
        `The identity provider "${idp.alias}" is misconfigured.`,
        `discovery_missing_${key}`,
      );
  }
  if (discoveries.size > 1000) discoveries.clear();
  discoveries.set(url, { at: now, doc: doc as Discovery });
  return doc as Discovery;
}

/**
 * Verifies a token the provider signed: signature against its JWKS, `iss` = its issuer, `aud`
 * containing our client id (and `azp` = it when there are several audiences), expiry. Throws
 * {@link UpstreamError} with the reason.
 *
 * @example
 * ```ts
 * const claims = await verifyUpstreamToken(idp, idToken)
 * ```
 */
export async function verifyUpstreamToken(idp: IdentityProvider, token: string): Promise<JWTPayload> {
  const doc = await discover(idp);
  let keys = keySets.get(doc.jwks_uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: UPSTREAM_TIMEOUT_MS });
    if (keySets.size > 1000) keySets.clear();
    keySets.set(doc.jwks_uri, keys);
  }
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: doc.issuer,
      audience: idp.oidc.clientId,
      algorithms: ALGORITHMS,
      clockTolerance: 30,
      requiredClaims: ['sub', 'exp'],
    });
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== idp.oidc.clientId)
      throw new Error('azp is not our client id');
    return payload;
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'invalid';
    throw new UpstreamError(
      'The identity provider\u2019s token was not valid.',
      `token_${code}`.slice(0, 120),
    );
  }
}

/**
 * Redeems an authorization code at the provider's token endpoint (client secret by HTTP Basic,
 * or in the form when the provider only takes that) and returns its ID token.
 *
 * @example
 * ```ts
 * const idToken = await redeemCode(idp, { code, redirectUri, codeVerifier })
 * ```
 */
export async function redeemCode(
  idp: IdentityProvider,
  grant: { code: string; redirectUri: string; codeVerifier: string },
): Promise<string> {
  const doc = await discover(idp);
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: grant.redirectUri,
    code_verifier: grant.codeVerifier,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const methods = doc.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  if (methods.includes('client_secret_basic') || !methods.includes('client_secret_post')) {
    const enc = (s: string) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${enc(idp.oidc.clientId)}:${enc(idp.clientSecret)}`).toString('base64')}`;
  } else {
    form.set('client_id', idp.oidc.clientId);
    form.set('client_secret', idp.clientSecret);
  }
  let body: { id_token?: unknown; error?: unknown };
  let status: number;
  try {
    const res = await fetch(doc.token_endpoint, {
      method: 'POST',
      headers,
      body: form.toString(),
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      redirect: 'error',
    });
    status = res.status;
    body = (await res.json()) as typeof body;
  } catch (err) {
    throw new UpstreamError(
      `The identity provider "${idp.alias}" could not be reached.`,
      `token_endpoint_failed: ${(err as Error).message}`.slice(0, 200),
    );
  }
  if (status !== 200 || typeof body.id_token !== 'string') {
    const error = typeof body.error === 'string' ? body.error.slice(0, 64) : `http_${status}`;
    throw new UpstreamError(
      'The identity provider refused to complete the sign-in.',
      `code_exchange_${error}`,
    );
  }
  return body.id_token;
}
