import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
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
 * parse a large body.
 */
export function requireAuthentication(app: FastifyInstance, authenticate: Authenticator): void {
  app.addHook('onRequest', async (request) => {
    request.principal = await authenticate(request.headers.authorization, request.headers.host);
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
