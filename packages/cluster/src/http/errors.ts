import { GuardError } from '@tessera/guard';
import { validationMessage } from '@tessera/http';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * An error answered with Run:ai's body `{code, message}`. The message names the field at fault.
 *
 * @example
 * ```ts
 * throw new ClusterError(400, 'projectId: project 9 is not served by this cluster')
 * ```
 */
export class ClusterError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

/** Maps every error to `{code, message}`; never a 5xx for bad input. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ClusterError)
      return reply.code(error.status).send({ code: error.status, message: error.message });
    if (error instanceof GuardError) {
      if (error.status === 401) reply.header('WWW-Authenticate', `Bearer error="invalid_token"`);
      const message = error.status === 401 ? `Unauthorized: ${error.message}` : error.message;
      return reply.code(error.status).send({ code: error.status, message });
    }
    if (error.validation) return reply.code(400).send({ code: 400, message: validationMessage(error) });
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ code: error.statusCode, message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ code: 500, message: 'Internal server error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ code: 404, message: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );
}
