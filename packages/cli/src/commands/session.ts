import type { Command } from 'commander';
import { discover } from '../auth/discovery.js';
import { send, serverMessage } from '../auth/http.js';
import { decodeJwtPayload, isFresh } from '../auth/jwt.js';
import { accessToken, controlPlaneUrl, forgetApplication } from '../auth/session.js';
import { CLIENT_ID } from '../auth/tokens.js';
import { clusterUrl } from '../cluster/cluster-api.js';
import { loginNeeded, usageError } from '../errors.js';
import { Kubeconfig } from '../kubeconfig/kubeconfig.js';
import type { Runtime } from '../runtime.js';
import { printJson, style } from '../ui/output.js';

async function revoke(r: Runtime, issuer: string, refresh: string): Promise<void> {
  const meta = await discover(issuer);
  if (!meta.revocation_endpoint) {
    r.err.write(
      'warning: the control plane has no revocation endpoint; the refresh token stays valid until it expires\n',
    );
    return;
  }
  const res = await send(meta.revocation_endpoint, {
    form: { token: refresh, token_type_hint: 'refresh_token', client_id: CLIENT_ID },
  });
  if (res.status !== 200)
    r.err.write(`warning: the server did not revoke the refresh token (${serverMessage(res)})\n`);
}

async function logout(r: Runtime): Promise<void> {
  const kc = await Kubeconfig.load(r.env.kubeconfigPath);
  const provider = kc.authProvider();
  const refresh = provider?.['refresh-token'];
  if (refresh) {
    try {
      await revoke(r, controlPlaneUrl(r, kc), refresh);
    } catch (err) {
      // The local tokens go anyway; say that the server could not be told.
      r.err.write(`warning: could not revoke the refresh token (${(err as Error).message})\n`);
    }
  }
  await forgetApplication(r);
  if (!provider) {
    r.err.write('Not logged in.\n');
    return;
  }
  kc.setAuthProvider({ 'id-token': undefined, 'refresh-token': undefined, 'access-token': undefined });
  await kc.save();
  r.err.write(`Logged out; tokens removed from ${kc.path}\n`);
}

async function whoami(r: Runtime, json: boolean): Promise<void> {
  const kc = await Kubeconfig.load(r.env.kubeconfigPath);
  const provider = kc.authProvider();
  if (!provider?.['access-token'] && !provider?.['id-token'] && !provider?.['refresh-token']) {
    throw loginNeeded('you are not logged in');
  }
  const { token } = await accessToken(r);
  const fresh = await Kubeconfig.load(r.env.kubeconfigPath);
  const claims: Record<string, unknown> = Object.assign(
    {},
    decodeJwtPayload(token),
    decodeJwtPayload(fresh.authProvider()?.['id-token']),
  );
  const info = {
    subject: claims.sub,
    subjectType: claims.subject_type ?? 'user',
    email: claims.email,
    name: claims.name ?? claims.preferred_username,
    clientId: claims.client_id,
    issuer: claims.iss,
    expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : undefined,
    authFlow: fresh.authProvider()?.['auth-flow'],
    context: fresh.currentContext(),
  };
  if (json) return printJson(r, info);
  const s = style(r);
  for (const [key, value] of Object.entries(info)) {
    if (value !== undefined) r.out.write(`${s.bold(`${key}:`.padEnd(13))}${String(value)}\n`);
  }
}

/**
 * `runai logout`, `runai whoami`, `runai auth get-token` and `runai kubeconfig set`.
 *
 * @example
 * ```sh
 * TOKEN=$(runai auth get-token)
 * ```
 */
export function registerSession(program: Command, rt: () => Runtime): void {
  program
    .command('logout')
    .description('revoke the refresh token and remove the tokens from the kubeconfig')
    .action(() => logout(rt()));

  program
    .command('whoami')
    .description('show who the current kubeconfig context is logged in as')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => whoami(rt(), Boolean(opts.json)));

  const auth = program.command('auth').description('token helpers');
  auth
    .command('get-token')
    .description('print a valid token (refreshed when needed)')
    .option(
      '-o, --output <format>',
      'plaintext (access token for the APIs) or kubeconfig (the id-token kubectl sends)',
      'plaintext',
    )
    .action(async (opts: { output: string }) => {
      const r = rt();
      if (opts.output !== 'plaintext' && opts.output !== 'kubeconfig') {
        throw usageError(`--output: must be "plaintext" or "kubeconfig", not "${opts.output}"`);
      }
      const { token } = await accessToken(r);
      if (opts.output === 'plaintext') return void r.out.write(`${token}\n`);
      const idToken = (await Kubeconfig.load(r.env.kubeconfigPath)).authProvider()?.['id-token'];
      r.out.write(`${isFresh(idToken, 0) ? idToken : token}\n`);
    });

  program
    .command('kubeconfig')
    .description('kubeconfig helpers')
    .command('set')
    .description("point the current kubeconfig context's cluster at the configured cluster")
    .action(async () => {
      const r = rt();
      const server = await clusterUrl(r);
      const kc = await Kubeconfig.load(r.env.kubeconfigPath);
      kc.setServer(server);
      await kc.save();
      r.err.write(`Context ${kc.currentContext()} now uses ${server}\n`);
    });
}
