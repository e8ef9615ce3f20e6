import pino, { type DestinationStream, type Logger } from 'pino';

/** What a request's log line tells of it: never its headers, so no credential or cookie can get in. */
interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}

/**
 * The serializers of every log line, a process's own and Fastify's (a `loggerInstance`'s serializers
 * override Fastify's defaults): a `req` or `res` logged anywhere becomes the few fields below, whatever
 * object it was. This replaces pino's `redact` paths, which named three headers (any other header was
 * logged in full if a request was) and re-parsed its paths on every line: ~1.5 KB of garbage and a
 * clone per request line (bench/README.md, eleventh session).
 */
const LOG_SERIALIZERS = {
  req: (req: RequestLike) => ({
    method: req.method,
    url: req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
  err: pino.stdSerializers.err,
};

/**
 * A process's root logger (the control plane's, a Cluster API's): JSON lines at `level` to
 * `destination`, with {@link LOG_SERIALIZERS}.
 *
 * @example
 * ```ts
 * const log = createLogger('info', new LogDestination(4096))
 * log.info({ req: request }, 'seen') // {"req":{"method":"GET","url":"/",…},"msg":"seen",…}
 * ```
 */
export function createLogger(level: string, destination: DestinationStream): Logger {
  return pino({ level, serializers: LOG_SERIALIZERS }, destination);
}
