import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { adminToken, call } from './api.js';
import { Browser } from './browser.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import type { StoreKind } from './stores.js';
import { startUpstreamIdp, type UpstreamIdp } from './upstream-idp.js';

/** The web UI's redirect URI on a server. */
export const uiRedirect = (url: string) => `${url}/auth/callback`;

/** A control plane with an upstream provider configured as its identity provider `corp`. */
export interface SsoSetup {
  server: ServerProcess;
  upstream: UpstreamIdp;
  admin: string;
  dispose(): Promise<void>;
}

/**
 * Starts the server, then oidc-provider with the server's broker callback registered, and configures
 * it as identity provider `corp` (email and groups mapped) through the API.
 *
 * @example
 * ```ts
 * const sso = await startSso('sqlite')
 * ```
 */
export async function startSso(kind: StoreKind): Promise<SsoSetup> {
  const server = await startServerProcess(kind);
  const admin = await adminToken(server.url);
  const upstream = await startUpstreamIdp([`${server.url}/auth/realms/runai/broker/corp/endpoint`]);
  const created = await call(
    server.url,
    'POST',
    '/api/v1/idps',
    {
      type: 'oidc',
      name: 'corp',
      oidcData: {
        clientId: upstream.clientId,
        clientSecret: upstream.clientSecret,
        discoverDocumentUrl: upstream.issuer,
        scopes: ['openid', 'email', 'groups'],
      },
      mappers: { email: 'email', groups: 'groups' },
    },
    admin,
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return {
    server,
    upstream,
    admin,
    dispose: async () => {
      await upstream.close();
      await server.dispose();
    },
  };
}

/**
 * An authorization request of the web UI's client (PKCE S256, state `ui-state`).
 *
 * @example
 * ```ts
 * const { url, verifier } = await uiAuthorizeUrl(server.url)
 * ```
 */
export async function uiAuthorizeUrl(base: string) {
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(`${base}/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: 'tessera-ui',
    redirect_uri: uiRedirect(base),
    response_type: 'code',
    scope: 'openid email groups',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'ui-state',
  }).toString();
  return { url: url.toString(), verifier };
}

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));

/**
 * The href of the sign-in page's "Sign in with <alias>" entry.
 *
 * @example
 * ```ts
 * const href = ssoLink(html, 'corp')
 * ```
 */
export function ssoLink(signInHtml: string, alias: string): string {
  const link = new RegExp(`<a class="sso" role="button" href="([^"]+)">Sign in with ${alias}</a>`).exec(
    signInHtml,
  );
  assert.ok(link, `the sign-in page offers "Sign in with ${alias}"`);
  return unescape(link[1]!);
}

/**
 * Fills the upstream's development login form (any password), then its consent form if shown, and
 * returns the URL it finally sends the browser to (where `isDestination` says, unvisited).
 *
 * @example
 * ```ts
 * const callback = await upstreamLogin(browser, loginPage, 'ada@corp.example', (u) => u.pathname.startsWith('/auth/realms/'))
 * ```
 */
export async function upstreamLogin(
  browser: Browser,
  loginPage: { res?: Response; url: string },
  login: string,
  isDestination: (next: URL) => boolean = (u) => u.pathname.startsWith('/auth/realms/'),
): Promise<string> {
  const submit = async (page: { res?: Response; url: string }, form: Record<string, string>) => {
    const action = /action="([^"]+)"/.exec(await page.res!.text())![1]!;
    const res = await browser.request('POST', new URL(action, page.url).toString(), form);
    return browser.wander(new URL(res.headers.get('location')!, page.url).toString(), isDestination);
  };
  let next = await submit(loginPage, { prompt: 'login', login, password: 'any' });
  if (next.res) next = await submit(next, { prompt: 'consent' });
  return next.url;
}
