import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** panva's oidc-provider on a loopback port: the upstream identity provider of the SSO tests. */
export interface UpstreamIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** A redirect URI registered besides Tessera's, for tests that redeem codes themselves. */
  testRedirectUri: string;
  close(): Promise<void>;
}

/** Groups the upstream reports per login name (any other login gets none). */
export const UPSTREAM_GROUPS: Record<string, string[]> = {
  'ada@corp.example': ['ml-team', 'admins'],
};

/**
 * Starts oidc-provider with its development login and consent pages (any login name, any password;
 * the login name is the account's email, unverified when it starts with `unverified`). Its one client is Tessera (`client_secret_basic`, code +
 * PKCE), registered for `redirectUris`. ID tokens carry `email` and `groups`.
 *
 * @example
 * ```ts
 * const idp = await startUpstreamIdp([`${server.url}/auth/realms/runai/broker/corp/endpoint`])
 * ```
 */
export async function startUpstreamIdp(redirectUris: string[]): Promise<UpstreamIdp> {
  // The issuer names the port, so the socket listens before the provider exists.
  const route: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server: Server = createServer((req, res) => (route.handler ? route.handler(req, res) : res.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'upstream' };
  const clientId = 'tessera';
  const clientSecret = randomBytes(24).toString('base64url');
  const testRedirectUri = 'http://127.0.0.1:9/test-callback';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...redirectUris, testRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
    // Put the requested claims into the ID token itself (most providers do; oidc-provider's
    // default keeps them for userinfo when an access token is issued).
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: id,
        email_verified: !id.startsWith('unverified'),
        groups: UPSTREAM_GROUPS[id] ?? [],
      }),
    }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true, methods: ['S256'] },
  });
  route.handler = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    testRedirectUri,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
