import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GuardError } from './errors.js';
import type { Guard, GuardPrincipal } from './guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by {@link fastifyGuard} on every request it let through. */
    guardPrincipal?: GuardPrincipal;
  }
}

/** Options of {@link fastifyGuard}. */
export interface FastifyGuardOptions {
  guard: Guard;
  /** Paths served without a token (health checks). Default: `/healthz`, `/readyz`. */
  publicPaths?: readonly string[];
}

/**
 * A Fastify plugin that puts every route of the instance behind the guard: 503 until the first
 * sync, 401 with `WWW-Authenticate: Bearer` for a missing, invalid or revoked token, otherwise
 * `request.guardPrincipal` is set. It runs at `onRequest`, before any body is read.
 *
 * @example
 * ```ts
 * await app.register(fastifyGuard, { guard })
 * app.get('/things', (req) => { guard.require(req.guardPrincipal!, 'workloads', 'read', ancestry) })
 * ```
 */
export async function fastifyGuard(app: FastifyInstance, opts: FastifyGuardOptions): Promise<void> {
  const open = new Set(opts.publicPaths ?? ['/healthz', '/readyz']);
  app.addHook('onRequest', async (request, reply) => {
    if (open.has(request.url.split('?')[0] ?? '')) return;
    if (!opts.guard.isReady()) {
      return reply.code(503).send({ code: 503, message: 'not synced with the control plane yet' });
    }
    try {
      request.guardPrincipal = await opts.guard.authenticate(request.headers.authorization);
    } catch (err) {
      if (!(err instanceof GuardError)) throw err;
      if (err.status === 401) {
        reply.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${err.message}"`);
      }
      return reply.code(err.status).send({ code: err.status, message: `Unauthorized: ${err.message}` });
    }
  });
}
// Like fastify-plugin: the hook applies to the instance it is registered on, not a child scope.
(fastifyGuard as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/**
 * The principal of a guarded request.
 *
 * @example
 * ```ts
 * const principal = guardPrincipalOf(request)
 * ```
 */
export function guardPrincipalOf(request: FastifyRequest): GuardPrincipal {
  if (!request.guardPrincipal) throw new GuardError('TOKEN_MISSING', 'request is not behind fastifyGuard');
  return request.guardPrincipal;
}
