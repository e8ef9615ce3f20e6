import type { Command } from 'commander';
import { parseUrlOption, writeCliConfig } from '../config/cli-config.js';
import { usageError } from '../errors.js';
import type { Runtime } from '../runtime.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `runai config set --url URL [--cluster UUID] [--cluster-url URL]` and `runai config view`.
 *
 * @example
 * ```sh
 * runai config set --url https://tessera.example.com --cluster 0b6e…
 * ```
 */
export function registerConfig(program: Command, rt: () => Runtime): void {
  const config = program
    .command('config')
    .description('view or change the CLI configuration (~/.runai/config.json)');
  config
    .command('set')
    .description('set the control plane URL and the cluster to use')
    .option('--url <url>', 'the control plane URL (also the token issuer)')
    .option('--cluster <uuid>', 'the cluster workload commands use')
    .option(
      '--cluster-url <url>',
      'the Cluster API URL, when the control plane does not publish the cluster domain',
    )
    .action(async (opts: { url?: string; cluster?: string; clusterUrl?: string }) => {
      const r = rt();
      if (!opts.url && !opts.cluster && !opts.clusterUrl)
        throw usageError('give at least one of --url, --cluster, --cluster-url');
      if (opts.cluster !== undefined && !UUID.test(opts.cluster))
        throw usageError(`--cluster: "${opts.cluster}" is not a UUID`);
      const next = { ...r.config };
      if (opts.url) next.url = parseUrlOption('--url', opts.url);
      if (opts.cluster) next.clusterId = opts.cluster.toLowerCase();
      if (opts.clusterUrl) next.clusterUrl = parseUrlOption('--cluster-url', opts.clusterUrl);
      await writeCliConfig(r.env.configPath, next);
      r.config = next;
      r.err.write(`Saved to ${r.env.configPath}\n`);
    });
  config
    .command('view')
    .description('print the configuration (secrets hidden)')
    .action(() => {
      const r = rt();
      const shown = Object.assign(
        {},
        r.config,
        r.config.application ? { application: { name: r.config.application.name, secret: '***' } } : {},
      );
      r.out.write(`${JSON.stringify(shown, null, 2)}\n`);
    });
}
