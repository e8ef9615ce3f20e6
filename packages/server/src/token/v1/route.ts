import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { TesseraError } from '../../errors/registry.js';
import { resolveTenant } from '../../tenancy/resolve.js';
import type { GrantHandler } from '../grant.js';
import { appTokenGrant } from '../grants/app-token.js';
import { clientCredentialsGrant } from '../grants/client-credentials.js';
import { exchangeTokenGrant } from '../grants/exchange-token.js';
import { externalTokenGrant } from '../grants/external-token.js';
import { passwordGrant } from '../grants/password.js';
import { refreshTokenGrant } from '../grants/refresh-token.js';
import { completeGrant } from '../complete.js';
import { normalizeTokenFields, requireField } from '../request-fields.js';

/** The grants `POST /api/v1/token` serves, by `grantType`. */
const GRANTS: Record<string, GrantHandler> = {
  app_token: appTokenGrant,
  client_credentials: clientCredentialsGrant,
  password: passwordGrant,
  refresh_token: refreshTokenGrant,
  exchange_token: exchangeTokenGrant,
  external_token_exchange: externalTokenGrant,
};

/** Largest token request body; a token request is a few hundred bytes. */
const TOKEN_BODY_LIMIT = 64 * 1024;

/**
 * `POST /api/v1/token` — Run:ai's JSON token endpoint. Every attempt, granted or refused, writes an
 * audit event with the reason; the caller only ever learns "Invalid credentials".
 */
export function registerTokenV1(app: FastifyInstance, ctx: Context): void {
  app.post(
    '/api/v1/token',
    {
      bodyLimit: TOKEN_BODY_LIMIT,
      schema: {
        tags: ['Tokens'],
        summary: 'Exchange credentials for an access token (Run:ai v1)',
        operationId: 'grant_token',
        security: [],
      },
    },
    async (request, reply) => {
      const fields = normalizeTokenFields(request.body);
      const grantType = requireField(fields, 'granttype', 'grantType');
      const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
      if (!grant) {
        throw new TesseraError(
          'UNSUPPORTED_GRANT_TYPE',
          `grantType: "${grantType.slice(0, 64)}" is not supported`,
          {
            details: `supported: ${Object.keys(GRANTS).join(', ')}`,
          },
        );
      }
      const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
      const outcome = await grant(ctx, { fields, tenantId, sourceIp: request.ip, issuer: ctx.issuer() });
      const tokens = await completeGrant(ctx, { tenantId, grantType, sourceIp: request.ip }, outcome);
      if (!tokens) throw new TesseraError('INVALID_CREDENTIALS');
      return reply.header('Cache-Control', 'no-store').send({
        accessToken: tokens.accessToken,
        expiresIn: tokens.expiresIn,
        ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      });
    },
  );
}
