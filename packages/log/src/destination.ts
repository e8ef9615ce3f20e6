import sonicBoom from 'sonic-boom';

// CommonJS: its class is a property of the default export (its types say so; Node's ESM loader cannot name it).
const { SonicBoom } = sonicBoom;
type SonicBoom = InstanceType<typeof SonicBoom>;

/**
 * The longest a log line waits in the buffer before it is written. Long enough that a busy server
 * writes several kilobytes at a time; short enough that someone following the log sees no lag.
 */
export const LOG_FLUSH_INTERVAL_MS = 250;

/** The largest buffer allowed. */
export const MAX_LOG_BUFFER_BYTES = 8192;

/** The buffer the server and the Cluster API use unless `TESSERA_LOG_BUFFER` says otherwise. */
export const DEFAULT_LOG_BUFFER_BYTES = 4096;

/**
 * A Tessera process's log destination (the control plane's and each Cluster API's): JSON lines to
 * a file descriptor (stdout by default), handed to sonic-boom (pino's own asynchronous writer)
 * once `bufferBytes` of lines have gathered or {@link LOG_FLUSH_INTERVAL_MS} has passed, whichever
 * comes first. With a buffer of 0 each line is handed over as it is logged, as pino does by
 * default.
 *
 * Why gather: every write is a system call on libuv's thread pool, and waking a pool thread and
 * being woken back cost more than formatting the line. Why gather here and not with sonic-boom's
 * own `minLength`: that appends each line to one growing string and measures its UTF-8 length
 * again for every line, so a 4 KiB buffer cost more CPU a request than it saved (bench/README.md,
 * eleventh session). Here a line costs an array push; a chunk is joined once.
 *
 * What it costs: lines still gathered when the process is killed outright (`SIGKILL`, the
 * out-of-memory killer) are lost, at most `bufferBytes` of them. Any exit Node sees — `process.exit`
 * (both servers' `SIGTERM`/`SIGINT` handlers end with it), an uncaught exception, the event loop
 * running dry — writes them first. The audit trail is not in the log: every issued token is in the
 * store's audit events before it is returned.
 *
 * @example
 * ```ts
 * const log = pino({ level: 'info' }, new LogDestination(4096))
 * log.info('tessera listening')
 * log.flush()
 * ```
 */
export class LogDestination {
  readonly #sink: SonicBoom;
  readonly #bufferBytes: number;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #onExit = () => this.flushSync();
  #lines: string[] = [];
  #size = 0;

  constructor(bufferBytes: number, fd = 1) {
    if (!Number.isInteger(bufferBytes) || bufferBytes < 0 || bufferBytes > MAX_LOG_BUFFER_BYTES)
      throw new RangeError(`log buffer must be a whole number of bytes from 0 to ${MAX_LOG_BUFFER_BYTES}`);
    this.#bufferBytes = bufferBytes;
    this.#sink = new SonicBoom({ fd, sync: false });
    if (bufferBytes > 0) {
      this.#timer = setInterval(() => this.#handOver(), LOG_FLUSH_INTERVAL_MS);
      this.#timer.unref();
    }
    process.on('exit', this.#onExit);
  }

  /** Takes one line (pino calls this). */
  write(line: string): void {
    if (this.#bufferBytes === 0) {
      this.#sink.write(line);
      return;
    }
    this.#lines.push(line);
    // Characters, not bytes: a threshold, where a few bytes more or less change nothing.
    this.#size += line.length;
    if (this.#size >= this.#bufferBytes) this.#handOver();
  }

  /** Starts writing what is gathered; `callback` once sonic-boom has taken it. pino's `log.flush()` calls this. */
  flush(callback?: (err?: Error) => void): void {
    this.#handOver();
    this.#sink.flush(callback);
  }

  /** Writes everything gathered and in flight before returning: for a process about to end. */
  flushSync(): void {
    this.#handOver();
    try {
      this.#sink.flushSync();
    } catch {
      // A descriptor closed or broken (EPIPE) takes nothing more; a process ending must not throw here.
    }
  }

  /** Writes what is left, stops the timer and closes the descriptor (unless it is stdout or stderr). */
  end(): Promise<void> {
    clearInterval(this.#timer);
    process.off('exit', this.#onExit);
    this.#handOver();
    return new Promise((resolve) => {
      this.#sink.once('close', () => resolve());
      this.#sink.end();
    });
  }

  #handOver(): void {
    if (this.#lines.length === 0) return;
    const chunk = this.#lines.length === 1 ? (this.#lines[0] as string) : this.#lines.join('');
    this.#lines = [];
    this.#size = 0;
    this.#sink.write(chunk);
  }
}
