import { createInterface } from 'node:readline';
import type { Runtime } from '../runtime.js';

/**
 * Asks for a secret without echoing it. On a terminal it reads in raw mode (nothing typed is shown;
 * Backspace works; Ctrl-C calls `rt.interrupted()` before anything is written anywhere). Without
 * a terminal it reads one line from stdin, so `echo "$PW" | runai login user -u me` works.
 *
 * @example
 * ```ts
 * const password = await promptHidden(rt, 'Password: ')
 * ```
 */
export async function promptHidden(rt: Runtime, question: string): Promise<string> {
  const input = rt.input;
  rt.err.write(question);
  if (!input.isTTY || typeof input.setRawMode !== 'function') return readLine(input);
  const setRaw = input.setRawMode.bind(input);
  return new Promise<string>((resolve) => {
    let value = '';
    const finish = () => {
      input.removeListener('data', onData);
      setRaw(false);
      input.pause();
      rt.err.write('\n');
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003') {
          finish();
          rt.interrupted();
        } else if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        } else if (ch === '\u007f' || ch === '\b') {
          value = [...value].slice(0, -1).join('');
        } else if (ch >= ' ') {
          value += ch;
        }
      }
    };
    setRaw(true);
    input.resume();
    input.on('data', onData);
  });
}

function readLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });
}
