import { readFile } from 'node:fs/promises';
import { CliError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';

/** What `~/.runai/config.json` holds. */
export interface CliConfig {
  /** The control plane's URL (also the token issuer). */
  url?: string;
  /** The cluster whose Cluster API workload commands talk to. */
  clusterId?: string;
  /** The Cluster API's URL, when the control plane does not say (the cluster's `domain`). */
  clusterUrl?: string;
  /** Saved by `runai login application --save`: used to get a new token when one expires. */
  application?: { name: string; secret: string };
}

/**
 * Reads the CLI config; a missing file is an empty config, a broken one a readable error.
 *
 * @example
 * ```ts
 * const config = await readCliConfig('/home/me/.runai/config.json')
 * ```
 */
export async function readCliConfig(path: string): Promise<CliConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as CliConfig;
  } catch (err) {
    throw new CliError(`${path} is not valid JSON (${(err as Error).message})`, {
      hint: 'fix or delete it, then run `runai config set --url URL`',
    });
  }
}

/** Writes the CLI config atomically with mode 0600 (it may hold an application secret). */
export async function writeCliConfig(path: string, config: CliConfig): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Normalises and checks a control-plane or cluster URL given by the user.
 *
 * @example
 * ```ts
 * parseUrlOption('--url', 'https://tessera.example.com/') // 'https://tessera.example.com'
 * ```
 */
export function parseUrlOption(option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${option}: "${value}" is not a URL`, { exitCode: 2 });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${option}: must be an http or https URL`, { exitCode: 2 });
  }
  return url.toString().replace(/\/+$/, '');
}
