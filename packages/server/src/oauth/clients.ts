import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit-log.js';
import { checkAppSecretThrottled } from '../credentials/app-credentials.js';
import type { Context } from '../context.js';
import { OAuthError } from './oauth-error.js';

/** The two built-in public clients. */
export const CLI_CLIENT_ID = 'runai';
export const UI_CLIENT_ID = 'tessera-ui';
/** The UI's redirect path on this server. */
export const UI_CALLBACK_PATH = '/auth/callback';

/** A client the OAuth endpoints know. */
export interface OAuthClient {
  clientId: string;
  /** Public clients have no secret and must use PKCE S256. */
  public: boolean;
  /** For confidential clients: the application behind it. */
  appId?: string;
  appName?: string;
}

/**
 * Is `uri` a redirect URI registered for `client`? Matching is exact, except for the CLI, whose
 * loopback redirects may use any port (RFC 8252 §7.3).
 *
 * @example
 * ```ts
 * redirectAllowed({ clientId: 'runai', public: true }, 'http://127.0.0.1:53682/callback', issuer) // true
 * ```
 */
export function redirectAllowed(client: OAuthClient, uri: string, issuer: string): boolean {
  if (client.clientId === CLI_CLIENT_ID) {
    let parsed: URL;
    try {
      parsed = new URL(uri);
    } catch {
      return false;
    }
    return (
      parsed.protocol === 'http:' &&
      ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) &&
      parsed.username === '' &&
      parsed.password === '' &&
      parsed.hash === ''
    );
  }
  if (client.clientId === UI_CLIENT_ID) return uri === `${issuer}${UI_CALLBACK_PATH}`;
  return false;
}

/**
 * Looks a client up by id: the built-in public clients, else an enabled application's client id.
 *
 * @example
 * ```ts
 * const client = await findClient(ctx, 1, 'runai') // { clientId: 'runai', public: true }
 * ```
 */
export async function findClient(
  ctx: Context,
  tenantId: number,
  clientId: string,
): Promise<OAuthClient | undefined> {
  if (clientId === CLI_CLIENT_ID || clientId === UI_CLIENT_ID) return { clientId, public: true };
  const app = await ctx.store.db
    .selectFrom('applications')
    .select(['id', 'name', 'client_id', 'enabled'])
    .where('tenant_id', '=', tenantId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (!app || !app.enabled) return undefined;
  return { clientId: app.client_id, public: false, appId: app.id, appName: app.name };
}

/**
 * Authenticates the client of a token-endpoint style request: `client_secret_basic` (Authorization
 * header) or `client_secret_post` (`client_id` + `client_secret`), or a public client by `client_id`
 * alone. Two different client ids (header and body) are an invalid_request. Secret checks are
 * throttled like `app_token`'s: failures count per (client, address) and per address, and a locked
 * pair gets 429. Unlike passwords, a secret is not counted before it is checked: an HMAC compare
 * leaves no window for concurrent guesses to slip through, and counting wrote four rows per token.
 *
 * @example
 * ```ts
 * const client = await authenticateClient(ctx, request, formParams(request.body), tenantId)
 * ```
 */
export async function authenticateClient(
  ctx: Context,
  request: FastifyRequest,
  params: Record<string, string>,
  tenantId: number,
): Promise<OAuthClient> {
  let headerId: string | undefined;
  let headerSecret: string | undefined;
  const auth = request.headers.authorization;
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials');
    try {
      headerId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      headerSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new OAuthError('invalid_client', 'malformed Basic credentials');
    }
    if (params.client_secret !== undefined) {
      throw new OAuthError('invalid_request', 'use one client authentication method, not two');
    }
  }
  if (headerId !== undefined && params.client_id !== undefined && params.client_id !== headerId) {
    throw new OAuthError('invalid_request', 'client_id: does not match the authenticated client');
  }
  const clientId = headerId ?? params.client_id;
  const secret = headerSecret || params.client_secret || undefined;
  if (!clientId) throw new OAuthError('invalid_client', 'client authentication is required');
  if (clientId === CLI_CLIENT_ID || clientId === UI_CLIENT_ID) {
    if (secret !== undefined) throw new OAuthError('invalid_client', 'public clients have no secret');
    return { clientId, public: true };
  }
  if (secret === undefined) throw new OAuthError('invalid_client', 'client authentication failed');
  const check = await checkAppSecretThrottled(ctx, tenantId, clientId, secret, request.ip);
  // An application found by its name is not this client: OAuth clients name their client id.
  if (check.ok && check.subject.client_id === clientId) {
    return { clientId, public: false, appId: check.subject.id, appName: check.subject.name };
  }
  await recordAudit(ctx.store.db, {
    tenantId,
    actor: { type: 'app', name: clientId },
    action: 'client.authenticate',
    resource: { type: 'client', name: clientId },
    result: 'failure',
    reason: check.ok ? 'unknown_client' : check.reason,
    sourceIp: request.ip,
  });
  throw new OAuthError('invalid_client', 'client authentication failed');
}
