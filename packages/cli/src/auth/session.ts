import { writeCliConfig } from '../config/cli-config.js';
import { CliError, loginNeeded } from '../errors.js';
import { Kubeconfig, type OidcProviderConfig } from '../kubeconfig/kubeconfig.js';
import type { Runtime } from '../runtime.js';
import { discover, endpoint } from './discovery.js';
import { isFresh } from './jwt.js';
import { CLIENT_ID, refreshTokens, type TokenSet, v1Token } from './tokens.js';

/** How a login was made; written as `auth-flow`. */
export type AuthFlow = 'browser' | 'remote-browser' | 'password' | 'application';

/**
 * The control plane's URL: `runai config set --url`, else the kubeconfig user's `idp-issuer-url`.
 *
 * @example
 * ```ts
 * const url = controlPlaneUrl(rt, await Kubeconfig.load(rt.env.kubeconfigPath))
 * ```
 */
export function controlPlaneUrl(rt: Runtime, kc: Kubeconfig | undefined): string {
  const url = rt.config.url ?? kc?.authProvider()?.['idp-issuer-url'];
  if (!url) {
    throw new CliError('no control plane URL is configured', {
      hint: 'run `runai config set --url https://<your control plane>`',
    });
  }
  return url.replace(/\/+$/, '');
}

/**
 * Writes a login's tokens into the current kubeconfig user as kubectl's `oidc` auth-provider. For
 * grants without an ID token (applications) the access token stands in as `id-token`.
 */
export async function persistLogin(
  rt: Runtime,
  issuer: string,
  tokens: TokenSet,
  flow: AuthFlow,
  server: string | undefined,
): Promise<Kubeconfig> {
  const kc = await Kubeconfig.load(rt.env.kubeconfigPath);
  writeTokens(kc, issuer, tokens, flow, server);
  await kc.save();
  return kc;
}

function writeTokens(kc: Kubeconfig, issuer: string, tokens: TokenSet, flow: string, server?: string): void {
  const values: OidcProviderConfig = {
    'client-id': CLIENT_ID,
    'idp-issuer-url': issuer,
    'id-token': tokens.idToken ?? tokens.accessToken,
    'refresh-token': tokens.refreshToken,
    'auth-flow': flow,
    'access-token': tokens.accessToken,
  };
  kc.setAuthProvider(values, server);
}

/**
 * A usable access token for the current kubeconfig user: the stored one while it is fresh, else a
 * silent refresh (refresh token, or the application secret saved with `--save`), written back.
 * Without credentials it fails with exit 3 naming the command to run.
 *
 * @example
 * ```ts
 * const token = await accessToken(rt)
 * ```
 */
export async function accessToken(rt: Runtime): Promise<{ token: string; issuer: string; kc: Kubeconfig }> {
  const kc = await Kubeconfig.load(rt.env.kubeconfigPath);
  const provider = kc.authProvider();
  const issuer = controlPlaneUrl(rt, kc);
  if (!provider || (!provider['access-token'] && !provider['id-token'] && !provider['refresh-token'])) {
    if (rt.config.application) return { token: await reloginApplication(rt, kc, issuer), issuer, kc };
    throw loginNeeded(
      `you are not logged in (no tokens for the current context in ${rt.env.kubeconfigPath})`,
    );
  }
  const stored = provider['access-token'] ?? provider['id-token'];
  if (isFresh(stored)) return { token: stored as string, issuer, kc };
  const refreshToken = provider['refresh-token'];
  if (refreshToken) {
    const meta = await discover(provider['idp-issuer-url'] ?? issuer);
    const tokens = await refreshTokens(endpoint(meta, 'token_endpoint', 'token refresh'), refreshToken);
    writeTokens(kc, provider['idp-issuer-url'] ?? issuer, tokens, provider['auth-flow'] ?? 'password');
    await kc.save();
    return { token: tokens.accessToken, issuer, kc };
  }
  if (rt.config.application) return { token: await reloginApplication(rt, kc, issuer), issuer, kc };
  throw loginNeeded('your token has expired and cannot be refreshed');
}

async function reloginApplication(rt: Runtime, kc: Kubeconfig, issuer: string): Promise<string> {
  const app = rt.config.application as { name: string; secret: string };
  const tokens = await v1Token(
    issuer,
    { grantType: 'app_token', AppId: app.name, AppSecret: app.secret },
    'check the saved application name and secret',
  );
  writeTokens(kc, issuer, tokens, 'application');
  await kc.save();
  return tokens.accessToken;
}

/** Forgets the saved application credentials (logout). */
export async function forgetApplication(rt: Runtime): Promise<void> {
  if (!rt.config.application) return;
  const { application: _dropped, ...rest } = rt.config;
  rt.config = rest;
  await writeCliConfig(rt.env.configPath, rest);
}
