import type { Runtime } from '../runtime.js';

/** ANSI styling that honours `NO_COLOR` (and plain output when stdout is not a terminal). */
export function style(rt: Pick<Runtime, 'env'>) {
  const wrap = (open: number, close: number) => (text: string) =>
    rt.env.noColor ? text : `\u001b[${open}m${text}\u001b[${close}m`;
  return { bold: wrap(1, 22), red: wrap(31, 39), green: wrap(32, 39), dim: wrap(2, 22) };
}

/**
 * Prints rows as an aligned table with a header.
 *
 * @example
 * ```ts
 * printTable(rt, ['NAME', 'STATUS'], [['train-1', 'Running']])
 * ```
 */
export function printTable(rt: Runtime, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  rt.out.write(`${style(rt).bold(line(headers))}\n`);
  for (const row of rows) rt.out.write(`${line(row)}\n`);
}

/** Prints a value as indented JSON (`--json`). */
export function printJson(rt: Runtime, value: unknown): void {
  rt.out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A spinner on stderr while waiting; on a non-terminal it prints the message once.
 *
 * @example
 * ```ts
 * const stop = spinner(rt, 'Waiting for approval')
 * stop()
 * ```
 */
export function spinner(rt: Runtime, message: string): () => void {
  const err = rt.err as NodeJS.WritableStream & { isTTY?: boolean };
  if (!err.isTTY) {
    err.write(`${message}...\n`);
    return () => {};
  }
  const frames = ['|', '/', '-', '\\'];
  let i = 0;
  const timer = setInterval(() => err.write(`\r${frames[i++ % frames.length]} ${message}`), 120);
  return () => {
    clearInterval(timer);
    err.write(`\r${' '.repeat(message.length + 2)}\r`);
  };
}
