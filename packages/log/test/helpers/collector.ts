import { Writable } from 'node:stream';

/**
 * A log destination that keeps each line it is given, as written.
 *
 * @example
 * ```ts
 * const { lines, destination } = collector()
 * createLogger('info', destination).info('hello') // lines[0] is the JSON line, once written
 * ```
 */
export function collector(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}
