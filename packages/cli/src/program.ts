import { Command, CommanderError } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerLogin } from './commands/login.js';
import { registerSession } from './commands/session.js';
import { registerWorkloads } from './commands/workloads.js';
import { readCliConfig } from './config/cli-config.js';
import type { CliEnv } from './config/env.js';
import { CliError, EXIT } from './errors.js';
import type { Runtime, Streams } from './runtime.js';
import { style } from './ui/output.js';

/** The CLI's version (also `runai --version`). */
export const VERSION = '0.1.0';

function buildProgram(rt: () => Runtime, streams: Streams): Command {
  const program = new Command('runai')
    .description('Tessera command-line: log in once, keep tokens in your kubeconfig, run workloads')
    .version(VERSION)
    .option('--debug', 'show stack traces and details on errors')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => streams.out.write(s),
      writeErr: (s) => streams.err.write(s),
    });
  registerConfig(program, rt);
  registerLogin(program, rt);
  registerSession(program, rt);
  registerWorkloads(program, rt);
  const strict = (cmd: Command) => {
    cmd.exitOverride().allowExcessArguments(false);
    for (const sub of cmd.commands) strict(sub);
  };
  strict(program);
  return program;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code: 0 ok,
 * 1 failure, 2 usage, 3 login needed. Errors are printed readably; stack traces only with `--debug`.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['whoami'], env, { out: process.stdout, err: process.stderr, input: process.stdin })
 * ```
 */
export async function runCli(
  argv: string[],
  env: CliEnv,
  streams: Streams,
  interrupted: () => never = () => process.exit(130),
): Promise<number> {
  const debug = argv.includes('--debug');
  let runtime: Runtime | undefined;
  const rt = (): Runtime => {
    if (!runtime) throw new Error('runtime used before it was loaded');
    return runtime;
  };
  const program = buildProgram(rt, streams);
  try {
    runtime = Object.assign({}, streams, {
      env,
      config: await readCliConfig(env.configPath),
      debug,
      interrupted,
    });
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    return report(err, streams, env, debug);
  }
}

function report(err: unknown, streams: Streams, env: CliEnv, debug: boolean): number {
  if (err instanceof CommanderError) {
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    ) {
      return EXIT.ok;
    }
    return EXIT.usage;
  }
  const s = style({ env });
  const message = err instanceof Error ? err.message : String(err);
  streams.err.write(`${s.red('error:')} ${message}\n`);
  if (err instanceof CliError && err.hint) streams.err.write(`${s.dim(`hint: ${err.hint}`)}\n`);
  if (debug && err instanceof Error) {
    streams.err.write(`${err.stack ?? ''}\n`);
    if (err.cause) streams.err.write(`cause: ${String((err.cause as Error)?.stack ?? err.cause)}\n`);
  }
  return err instanceof CliError ? err.exitCode : EXIT.failure;
}
