import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { resolveTenant } from '../../tenancy/resolve.js';
import type { Context } from '../../context.js';
import { authenticateClient, CLI_CLIENT_ID } from '../../oauth/clients.js';
import { REALM_OIDC, requestIssuer } from '../../oauth/issuer.js';
import { formParams, installOAuthScope, OAuthError } from '../../oauth/oauth-error.js';
import { completeGrant } from '../complete.js';
import type { GrantHandler } from '../grant.js';
import { appGrantOutcome } from '../grants/app-outcome.js';
import { authorizationCodeGrant } from '../grants/authorization-code.js';
import { deviceCodeGrant } from '../grants/device-code.js';
import { passwordGrant } from '../grants/password.js';
import { refreshTokenGrant } from '../grants/refresh-token.js';
import type { TokenFields } from '../request-fields.js';
import { parseScope } from '../subjects.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** v2 client_credentials: the authenticated confidential client (an application) is the subject. */
const clientCredentials: GrantHandler = async (ctx, { client, tenantId }) => {
  if (!client?.appId || client.public) {
    return { ok: false, reason: 'public_client', subjectType: 'app', error: 'unauthorized_client' };
  }
  const row = {
    id: client.appId,
    name: client.appName ?? client.clientId,
    client_id: client.clientId,
    tenant_id: tenantId,
  };
  return appGrantOutcome(ctx, client.clientId, { ok: true, subject: row });
};

/** The grants `POST /api/v2/token` serves, by `grant_type`. */
const GRANTS: Record<string, GrantHandler> = {
  client_credentials: clientCredentials,
  password: passwordGrant,
  refresh_token: refreshTokenGrant,
  authorization_code: authorizationCodeGrant,
  [DEVICE_GRANT]: deviceCodeGrant,
};

/** RFC 6749 parameter names → the grant handlers' field names. */
function toFields(params: Record<string, string>): TokenFields {
  return {
    username: params.username,
    password: params.password,
    refreshtoken: params.refresh_token,
    code: params.code,
    redirecturi: params.redirect_uri,
    codeverifier: params.code_verifier,
    devicecode: params.device_code,
  };
}

/**
 * `POST /api/v2/token` — OAuth 2.0 token endpoint (RFC 6749, form-encoded), also served as the
 * realm-style `/auth/realms/<realm>/protocol/openid-connect/token`. Client authentication:
 * `client_secret_basic`, `client_secret_post`, or `client_id` alone for the public clients.
 *
 * @example
 * ```ts
 * registerTokenV2(app, ctx)
 * ```
 */
export function registerTokenV2(app: FastifyInstance, ctx: Context): void {
  void app.register(async (scope) => {
    installOAuthScope(scope);
    const handler = async (request: FastifyRequest) => {
      const params = formParams(request.body);
      const grantType = params.grant_type;
      if (!grantType) throw new OAuthError('invalid_request', 'grant_type: is required');
      const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
      if (!grant)
        throw new OAuthError(
          'unsupported_grant_type',
          `grant_type "${grantType.slice(0, 64)}" is not supported`,
        );
      const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
      // Run:ai's v2 password grant may omit client_id: that is the CLI's public client.
      if (grantType === 'password' && params.client_id === undefined && !request.headers.authorization) {
        params.client_id = CLI_CLIENT_ID;
      }
      const client = await authenticateClient(ctx, request, params, tenantId);
      const outcome = await grant(ctx, {
        fields: toFields(params),
        tenantId,
        sourceIp: request.ip,
        issuer: requestIssuer(ctx, request),
        client,
        scope: parseScope(params.scope),
      });
      const tokens = await completeGrant(ctx, { tenantId, grantType, sourceIp: request.ip }, outcome);
      if (!tokens) {
        const error = outcome.ok ? 'invalid_grant' : (outcome.error ?? 'invalid_grant');
        throw new OAuthError(error, describe(error));
      }
      return {
        access_token: tokens.accessToken,
        token_type: 'Bearer',
        expires_in: tokens.expiresIn,
        ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
        ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
        ...(tokens.scope.length ? { scope: tokens.scope.join(' ') } : {}),
      };
    };
    const documented = {
      schema: {
        tags: ['Tokens'],
        summary: 'Create an access token v2 (OAuth 2.0, RFC 6749)',
        operationId: 'grant_token_v2',
        security: [],
      },
    };
    const paths: { path: string; options: RouteShorthandOptions }[] = [
      { path: '/api/v2/token', options: documented },
      { path: `${REALM_OIDC}/token`, options: { schema: { hide: true } } },
    ];
    for (const { path, options } of paths) {
      scope.post(path, options, async (request, reply) => {
        const body = await handler(request);
        return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
      });
    }
  });
}

function describe(error: string): string {
  switch (error) {
    case 'authorization_pending':
      return 'the user has not yet approved this device';
    case 'slow_down':
      return 'polling too fast; add 5 seconds to the interval';
    case 'expired_token':
      return 'the device code has expired';
    case 'access_denied':
      return 'the user denied the request';
    case 'unauthorized_client':
      return 'this client may not use this grant type';
    case 'invalid_scope':
      return 'the requested scope exceeds what was granted';
    default:
      return 'the grant is invalid, expired, revoked, or was issued to another client';
  }
}
