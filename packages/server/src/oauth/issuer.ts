import type { FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import { TesseraError } from '../errors/registry.js';

const REALM = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;

/** Where the Keycloak-style endpoints of a realm live, relative to the realm issuer. */
export const REALM_PREFIX = '/auth/realms/:realm';
export const REALM_OIDC = `${REALM_PREFIX}/protocol/openid-connect`;

/**
 * The issuer a request was made under: the canonical issuer, or `<issuer>/auth/realms/<realm>` when
 * the client came through the realm-style paths (old Run:ai clients and kubeconfigs). Strict
 * clients compare the ID token's `iss` with the discovery document they fetched, so both must agree.
 *
 * @example
 * ```ts
 * requestIssuer(ctx, request) // 'https://tessera.example/auth/realms/runai'
 * ```
 */
export function requestIssuer(ctx: Context, request: FastifyRequest): string {
  const realm = (request.params as { realm?: string } | undefined)?.realm;
  if (realm === undefined) return ctx.issuer();
  if (!REALM.test(realm)) throw new TesseraError('NOT_FOUND', 'unknown realm');
  return `${ctx.issuer()}/auth/realms/${realm}`;
}

/**
 * Is `issuer` one this server issues under?
 *
 * @example
 * ```ts
 * isOwnIssuer(ctx, `${ctx.issuer()}/auth/realms/runai`) // true
 * ```
 */
export function isOwnIssuer(ctx: Context, issuer: string): boolean {
  const base = ctx.issuer();
  if (issuer === base) return true;
  const prefix = `${base}/auth/realms/`;
  return issuer.startsWith(prefix) && REALM.test(issuer.slice(prefix.length));
}

/**
 * The endpoint paths under an issuer (canonical or realm).
 *
 * @example
 * ```ts
 * endpointsFor(issuer, ctx.issuer()).token_endpoint
 * ```
 */
export function endpointsFor(issuer: string, base: string): Record<string, string> {
  if (issuer === base) {
    return {
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/api/v2/token`,
      device_authorization_endpoint: `${base}/oauth/device_authorization`,
      introspection_endpoint: `${base}/oauth/introspect`,
      revocation_endpoint: `${base}/oauth/revoke`,
      userinfo_endpoint: `${base}/oauth/userinfo`,
      end_session_endpoint: `${base}/oauth/logout`,
      jwks_uri: `${base}/.well-known/jwks.json`,
    };
  }
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    device_authorization_endpoint: `${oidc}/auth/device`,
    introspection_endpoint: `${oidc}/token/introspect`,
    revocation_endpoint: `${oidc}/revoke`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    jwks_uri: `${oidc}/certs`,
  };
}
