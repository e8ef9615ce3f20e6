import { Command, InvalidArgumentError } from 'commander';
import { browserLogin, DEFAULT_LISTEN_PORT } from '../auth/browser-login.js';
import { deviceLogin } from '../auth/device-login.js';
import { decodeJwtPayload } from '../auth/jwt.js';
import { type AuthFlow, controlPlaneUrl, persistLogin } from '../auth/session.js';
import { CLIENT_ID, type TokenSet, v1Token } from '../auth/tokens.js';
import { clusterDomain } from '../cluster/cluster-api.js';
import { writeCliConfig } from '../config/cli-config.js';
import { Kubeconfig } from '../kubeconfig/kubeconfig.js';
import type { Runtime } from '../runtime.js';
import { promptHidden } from '../ui/prompt.js';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number 0..65535');
  return n;
}

async function finish(rt: Runtime, issuer: string, tokens: TokenSet, flow: AuthFlow): Promise<void> {
  const server = await clusterDomain(rt, issuer, tokens.accessToken);
  const kc = await persistLogin(rt, issuer, tokens, flow, server);
  const claims = decodeJwtPayload(tokens.idToken ?? tokens.accessToken) ?? {};
  const who = claims.email ?? claims.preferred_username ?? claims.name ?? claims.sub ?? 'unknown';
  rt.err.write(`Logged in as ${String(who)}; tokens saved to ${kc.path} (context ${kc.currentContext()})\n`);
}

/**
 * `runai login` (browser, PKCE + loopback), `runai login --remote-browser` (device code),
 * `runai login user -u EMAIL [-p PASSWORD]` and `runai login application --name N --secret S [--save]`.
 *
 * @example
 * ```sh
 * runai login user -u me@example.com
 * ```
 */
export function registerLogin(program: Command, rt: () => Runtime): void {
  const login = program
    .command('login')
    .description('log in and store tokens in the current kubeconfig context')
    .option('--remote-browser', 'log in from another device (device code): prints a URL and a code')
    .option('--listen-port <port>', 'loopback port for the browser redirect', port, DEFAULT_LISTEN_PORT)
    .action(async (opts: { remoteBrowser?: boolean; listenPort: number }) => {
      const r = rt();
      const issuer = controlPlaneUrl(r, await Kubeconfig.load(r.env.kubeconfigPath));
      if (opts.remoteBrowser) await finish(r, issuer, await deviceLogin(r, issuer), 'remote-browser');
      else await finish(r, issuer, await browserLogin(r, issuer, opts.listenPort), 'browser');
    });

  login
    .command('user')
    .description('log in with an email and password (prompted without echo when -p is absent)')
    .requiredOption('-u, --username <email>', 'your email')
    .option('-p, --password <password>', 'your password (prefer the prompt: it stays out of shell history)')
    .action(async (opts: { username: string; password?: string }) => {
      const r = rt();
      const issuer = controlPlaneUrl(r, await Kubeconfig.load(r.env.kubeconfigPath));
      const password = opts.password ?? (await promptHidden(r, 'Password: '));
      const tokens = await v1Token(
        issuer,
        { grantType: 'password', username: opts.username, password, clientID: CLIENT_ID },
        'wrong email or password',
      );
      await finish(r, issuer, tokens, 'password');
    });

  login
    .command('application')
    .description("log in with an Application's name and secret")
    .requiredOption('--name <name>', 'the application name (or client id)')
    .requiredOption('--secret <secret>', 'the application secret')
    .option('--save', 'keep the name and secret in the CLI config (mode 0600) to renew tokens silently')
    .action(async (opts: { name: string; secret: string; save?: boolean }) => {
      const r = rt();
      const issuer = controlPlaneUrl(r, await Kubeconfig.load(r.env.kubeconfigPath));
      const tokens = await v1Token(
        issuer,
        { grantType: 'app_token', AppId: opts.name, AppSecret: opts.secret },
        'wrong application name or secret',
      );
      if (opts.save) {
        r.config = Object.assign({}, r.config, {
          url: r.config.url ?? issuer,
          application: { name: opts.name, secret: opts.secret },
        });
        await writeCliConfig(r.env.configPath, r.config);
      }
      await finish(r, issuer, tokens, 'application');
    });
}
