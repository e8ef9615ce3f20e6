import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request instead of Fastify's two ("incoming request" when it arrives, "request
 * completed" when answered): the completed line carries the request's fields too, so nothing is
 * lost, and the token endpoint's hot path writes half the log lines (bench/README.md). Error lines
 * (error handler, 404, reply errors) stay Fastify's own.
 *
 * @example
 * ```ts
 * Fastify({ loggerInstance: log, logController: new OneLineRequestLog() })
 * ```
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {
    // Logged with the answer, in requestCompleted.
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const responseTime = reply.elapsedTime;
    if (error) reply.log.error({ req: request, res: reply, responseTime, err: error }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime }, 'request completed');
  }
}
