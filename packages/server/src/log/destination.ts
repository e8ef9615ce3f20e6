import pino from 'pino';

/**
 * The longest a log line waits in the buffer before it is written. Long enough that a busy server
 * writes several kilobytes at a time; short enough that someone following the log sees no lag.
 */
export const LOG_FLUSH_INTERVAL_MS = 250;

/** The largest buffer allowed: sonic-boom writes at most 16 KiB at a time and wants the buffer below that. */
export const MAX_LOG_BUFFER_BYTES = 8192;

/** Where the server's log lines go: a file descriptor, stdout by default. */
export type LogDestination = ReturnType<typeof pino.destination>;

/**
 * The server's log destination: JSON lines to `fd`, asynchronous, written once `bufferBytes` have
 * accumulated or {@link LOG_FLUSH_INTERVAL_MS} has passed, whichever comes first. With a buffer of
 * 0 each line is handed to the write as soon as it is logged, as pino does by default.
 *
 * Why buffer: every write of the log is a system call on libuv's thread pool, and waking a pool
 * thread and being woken back cost more than the line itself. Unbuffered, a server answering a
 * few thousand token requests a second wrote roughly once per turn of its event loop; with 4 KiB
 * it writes every dozen lines or so, and spent ~5 % less CPU a request, with ~40 % fewer context
 * switches (bench/README.md, eleventh session).
 *
 * What it costs: lines still in the buffer when the process is killed outright (`SIGKILL`, the
 * out-of-memory killer) are lost, at most `bufferBytes` of them. A normal exit — `SIGTERM`,
 * `SIGINT`, `process.exit`, an uncaught exception — writes them first (pino flushes on `exit`).
 * The audit trail is not in the log: every issued token is in the store's audit events before it
 * is returned.
 *
 * @example
 * ```ts
 * const log = pino({ level: 'info' }, logDestination(4096))
 * log.info('tessera listening')
 * log.flush()
 * ```
 */
export function logDestination(bufferBytes: number, fd = 1): LogDestination {
  if (!Number.isInteger(bufferBytes) || bufferBytes < 0 || bufferBytes > MAX_LOG_BUFFER_BYTES)
    throw new RangeError(`log buffer must be a whole number of bytes from 0 to ${MAX_LOG_BUFFER_BYTES}`);
  return pino.destination({
    dest: fd,
    sync: false,
    minLength: bufferBytes,
    periodicFlush: bufferBytes > 0 ? LOG_FLUSH_INTERVAL_MS : 0,
  });
}
