import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A command running in a detached tmux session on a private socket: a real terminal (pty). */
export interface TmuxSession {
  /** The visible pane text. */
  capture(): Promise<string>;
  /** Types literal text. */
  type(text: string): Promise<void>;
  /** Sends key names (`Enter`, `C-c`). */
  keys(...names: string[]): Promise<void>;
  /** Waits until the pane matches `pattern` (up to `timeoutMs`) and returns its text. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

/**
 * Starts `command` (a shell command line) in a new tmux session with its own socket.
 *
 * @example
 * ```ts
 * const t = await startTmux('runai login user -u me@example.com; echo EXIT=$?')
 * await t.waitFor(/Password:/)
 * ```
 */
export async function startTmux(command: string, env: Record<string, string>): Promise<TmuxSession> {
  const socket = `runai-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]) =>
    exec('tmux', ['-L', socket, ...args], { env: { ...process.env, ...env } });
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  await tmux(
    'new-session',
    '-d',
    '-s',
    'cli',
    '-x',
    '200',
    '-y',
    '50',
    `env ${exports} sh -c '${command.replace(/'/g, `'\\''`)}'; sleep 60`,
  );
  const session: TmuxSession = {
    capture: async () => (await tmux('capture-pane', '-p', '-J', '-t', 'cli')).stdout,
    type: async (text) => void (await tmux('send-keys', '-t', 'cli', '-l', text)),
    keys: async (...names) => void (await tmux('send-keys', '-t', 'cli', ...names)),
    waitFor: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      let text = '';
      while (Date.now() < deadline) {
        text = await session.capture();
        if (pattern.test(text)) return text;
        await sleep(100);
      }
      throw new Error(`tmux pane never matched ${pattern}:\n${text}`);
    },
    kill: async () => {
      await tmux('kill-server').catch(() => {});
    },
  };
  return session;
}
