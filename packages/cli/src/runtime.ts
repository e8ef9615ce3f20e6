import type { CliConfig } from './config/cli-config.js';
import type { CliEnv } from './config/env.js';

/** Where a command writes: data to `out`, progress and errors to `err`. */
export interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
}

/** What every command gets: the environment, the streams and the saved CLI config. */
export interface Runtime extends Streams {
  env: CliEnv;
  config: CliConfig;
  /** `--debug`: stack traces and HTTP details on errors. */
  debug: boolean;
  /** Called when the user presses Ctrl-C at a prompt (exits 130 by default). */
  interrupted: () => never;
}
