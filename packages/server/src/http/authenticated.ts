import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GuardError } from '@tessera/guard';
import { recordAudit } from '../audit/audit-log.js';
import type { Authenticator } from '../auth/authenticator.js';
import { DEFAULT_TENANT_ID } from '../bootstrap/bootstrap.js';
import type { Context } from '../context.js';
import { resolveTenant } from '../tenancy/resolve.js';
import type { Principal } from '../auth/principal.js';
import { TesseraError } from '../errors/registry.js';

/** The one route a user on a temporary password may call. */
export const PASSWORD_CHANGE_ROUTE = '/api/v1/me/password';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Makes every route registered in `app` (an encapsulated plugin scope) require a valid bearer token.
 * It runs at `onRequest`, before the body is read, so an anonymous caller cannot make the server
 * parse a large body. Every refusal is audited with the guard's reason code.
 */
export function requireAuthentication(app: FastifyInstance, ctx: Context, authenticate: Authenticator): void {
  app.addHook('onRequest', async (request) => {
    try {
      request.principal = await authenticate(request.headers.authorization, request.headers.host);
    } catch (err) {
      if (err instanceof GuardError) {
        await recordAudit(ctx.store.db, {
          tenantId: await resolveTenant(ctx.store.db, request.headers.host).catch(() => DEFAULT_TENANT_ID),
          actor: { type: 'anonymous' },
          action: 'authenticate',
          resource: {
            type: 'api',
            name: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
          },
          result: 'failure',
          reason: err.code,
          sourceIp: request.ip,
        });
      }
      throw err;
    }
    if (request.principal.mustChangePassword && request.routeOptions.url !== PASSWORD_CHANGE_ROUTE) {
      throw new TesseraError(
        'PASSWORD_CHANGE_REQUIRED',
        `Password change required: POST ${PASSWORD_CHANGE_ROUTE} first`,
      );
    }
  });
}

/** The principal of an authenticated route. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is not behind requireAuthentication');
  return request.principal;
}
