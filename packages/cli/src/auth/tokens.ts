import { CliError, loginNeeded } from '../errors.js';
import { type HttpAnswer, send, serverMessage } from './http.js';

/** The CLI's OAuth client id (a public client: no secret, PKCE). */
export const CLIENT_ID = 'runai';

/** Tokens from a login or a refresh. */
export interface TokenSet {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  expiresIn?: number;
}

interface OAuthTokenBody {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
}

interface V1TokenBody {
  accessToken?: string;
  idToken?: string;
  refreshToken?: string;
  expiresIn?: number;
}

/** Reads an RFC 6749 token response; undefined when it is an error. */
export function fromOAuth(res: HttpAnswer<unknown>): TokenSet | undefined {
  const body = res.body as OAuthTokenBody | undefined;
  if (res.status !== 200 || typeof body?.access_token !== 'string') return undefined;
  return {
    accessToken: body.access_token,
    idToken: body.id_token,
    refreshToken: body.refresh_token,
    expiresIn: body.expires_in,
  };
}

/**
 * `POST /api/v1/token` (Run:ai's JSON token endpoint): password or app_token grant. 401 is a clear
 * "wrong credentials" error (exit 1); 429 says when to retry.
 *
 * @example
 * ```ts
 * const tokens = await v1Token(url, { grantType: 'password', username, password, clientID: 'runai' })
 * ```
 */
export async function v1Token(url: string, body: Record<string, string>, what: string): Promise<TokenSet> {
  const res = await send<V1TokenBody>(`${url}/api/v1/token`, { json: body });
  if (res.status === 200 && typeof res.body?.accessToken === 'string') {
    return {
      accessToken: res.body.accessToken,
      idToken: res.body.idToken,
      refreshToken: res.body.refreshToken,
      expiresIn: res.body.expiresIn,
    };
  }
  if (res.status === 401) throw new CliError(`login failed: ${what} (${serverMessage(res)})`);
  if (res.status === 429)
    throw new CliError(`login refused: too many failed attempts; try again later (${serverMessage(res)})`);
  throw new CliError(`login failed: ${serverMessage(res)} (HTTP ${res.status})`);
}

/**
 * Trades a refresh token at the token endpoint (RFC 6749 §6, public client `runai`). A refused
 * refresh token (expired, revoked, reused) means a new login: exit 3 with the command to run.
 */
export async function refreshTokens(tokenEndpoint: string, refreshToken: string): Promise<TokenSet> {
  const res = await send<OAuthTokenBody>(tokenEndpoint, {
    form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID },
  });
  const tokens = fromOAuth(res);
  if (tokens) return tokens;
  if (res.status === 400 || res.status === 401) {
    throw loginNeeded(`your session has expired or was revoked (${serverMessage(res)}); log in again`);
  }
  throw new CliError(`token refresh failed: ${serverMessage(res)} (HTTP ${res.status})`);
}
