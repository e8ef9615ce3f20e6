import { readEnv } from './config/env.js';
import { runCli } from './program.js';

// The only module that reads process.env: everything else gets the frozen CliEnv.
const env = readEnv(process.env, Boolean(process.stdout.isTTY));
const code = await runCli(process.argv.slice(2), env, {
  out: process.stdout,
  err: process.stderr,
  input: process.stdin,
});
process.exitCode = code;
