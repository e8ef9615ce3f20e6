import { homedir } from 'node:os';
import { join } from 'node:path';

/** The environment the CLI reads, once, at start (no other module reads `process.env`). */
export interface CliEnv {
  /** `~/.runai/config.json` unless `RUNAI_CLI_CONFIG_PATH` names another file. */
  readonly configPath: string;
  /** The kubeconfig to read and write: the first file of `KUBECONFIG`, else `~/.kube/config`. */
  readonly kubeconfigPath: string;
  /** `NO_COLOR` set to anything non-empty, or stdout not a terminal. */
  readonly noColor: boolean;
  /** A graphical session is available to open a browser in. */
  readonly hasDisplay: boolean;
  /** `BROWSER`, if set: the command to open URLs with. */
  readonly browser: string | undefined;
}

/**
 * Reads the CLI's environment.
 *
 * @example
 * ```ts
 * const env = readEnv(process.env, process.stdout.isTTY)
 * env.kubeconfigPath // '/home/me/.kube/config'
 * ```
 */
export function readEnv(vars: Record<string, string | undefined>, stdoutIsTty: boolean): CliEnv {
  const home = vars.HOME || homedir();
  const sep = process.platform === 'win32' ? ';' : ':';
  const firstKubeconfig = (vars.KUBECONFIG ?? '').split(sep).find((p) => p.trim() !== '');
  return Object.freeze({
    configPath: vars.RUNAI_CLI_CONFIG_PATH || join(home, '.runai', 'config.json'),
    kubeconfigPath: firstKubeconfig ?? join(home, '.kube', 'config'),
    noColor: Boolean(vars.NO_COLOR) || !stdoutIsTty,
    hasDisplay: Boolean(vars.DISPLAY || vars.WAYLAND_DISPLAY) || process.platform === 'darwin',
    browser: vars.BROWSER || undefined,
  });
}
