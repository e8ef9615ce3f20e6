import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GuardError } from '@tessera/guard';
import { validationMessage } from '@tessera/http';
import { TesseraError } from '../errors/registry.js';

/**
 * Maps every error to Run:ai's error body `{code, message, details?}` with the registry's status.
 * Validation failures name the field; anything unexpected is logged and answered with a bare 500
 * that reveals nothing.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toTesseraError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    for (const [name, value] of Object.entries(mapped.headers)) reply.header(name, value);
    if (error instanceof GuardError && error.status === 401) {
      reply.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${error.message}"`);
    }
    return reply.code(mapped.status).send(mapped.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const err = new TesseraError('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`);
    return reply.code(err.status).send(err.toBody());
  });
}

function toTesseraError(error: FastifyError): TesseraError {
  if (error instanceof TesseraError) return error;
  if (error instanceof GuardError) {
    return error.status === 401
      ? new TesseraError('UNAUTHENTICATED', `Unauthorized: ${error.message}`)
      : new TesseraError('FORBIDDEN', error.message);
  }
  if (error.validation) return new TesseraError('INVALID_REQUEST', validationMessage(error));
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TesseraError('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new TesseraError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new TesseraError(
        'INVALID_REQUEST',
        'body: must not be empty when Content-Type is application/json',
      );
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new TesseraError('INVALID_REQUEST', 'body: is not valid JSON');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new TesseraError(error.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', error.message);
  }
  return new TesseraError('INTERNAL');
}
