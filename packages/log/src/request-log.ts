import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request instead of Fastify's two ("incoming request" when it arrives, "request
 * completed" when answered): the completed line carries the request's fields too, so nothing is
 * lost, and the token endpoint's hot path writes half the log lines (bench/README.md). Error lines
 * (error handler, 404, reply errors) stay Fastify's own. `responseTime` is in milliseconds to the
 * microsecond ({@link Milliseconds}).
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
    const responseTime = new Milliseconds(reply.elapsedTime);
    if (error) reply.log.error({ req: request, res: reply, responseTime, err: error }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime }, 'request completed');
  }
}

/**
 * A duration as a log line writes it: a JSON number of milliseconds, rounded to the microsecond
 * (`"responseTime":1.234`; the sub-microsecond digits of a measured duration are noise).
 *
 * Why an object and not the number: pino writes a number into the line with JavaScript's own
 * conversion to a string, and V8 keeps the strings of the numbers it converted in a cache held by
 * the old generation. Each request's duration is a new number, so its entry outlived two scavenges
 * and was promoted, to be freed only by a full collection: at 10,000 lines a second ~0.2–0.4 MB of
 * old generation a second, most of what the token endpoint promoted (bench/README.md, thirtieth
 * session). pino hands an object to `JSON.stringify`, which writes a number without that cache.
 *
 * @example
 * ```ts
 * JSON.stringify({ responseTime: new Milliseconds(1.2345678) }) // '{"responseTime":1.235}'
 * ```
 */
export class Milliseconds {
  readonly #value: number;

  constructor(ms: number) {
    this.#value = Math.round(ms * 1000) / 1000;
  }

  toJSON(): number {
    return this.#value;
  }
}
