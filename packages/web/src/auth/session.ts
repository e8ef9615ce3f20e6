import { pkcePair, randomToken } from './pkce.js';

/** The UI's OAuth client: a public client registered by the server (issue #7), PKCE S256 only. */
export const CLIENT_ID = 'tessera-ui';
export const CALLBACK_PATH = '/auth/callback';
const SCOPE = 'openid offline_access';
const PENDING = 'tessera.pending-sign-in';
const TOKENS = 'tessera.tokens';

interface Tokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Who is signed in, read from the access token's claims (display only; the server decides). */
export interface SignedInSubject {
  id: string;
  name: string;
  email?: string;
  subjectType: string;
}

/** Thrown when there is no session or it expired and could not be refreshed. */
export class SessionExpired extends Error {
  constructor() {
    super('Your session has expired. Sign in again to continue.');
    this.name = 'SessionExpired';
  }
}

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

function readTokens(): Tokens | undefined {
  try {
    const raw = sessionStorage.getItem(TOKENS);
    return raw ? (JSON.parse(raw) as Tokens) : undefined;
  } catch {
    return undefined;
  }
}

function saveTokens(body: { access_token: string; refresh_token?: string; expires_in: number }): void {
  const tokens: Tokens = {
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? readTokens()?.refreshToken,
    expiresAt: Date.now() + body.expires_in * 1000,
  };
  sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
}

/**
 * Sends the browser to the authorization endpoint (code flow, PKCE S256). The server's sign-in
 * page asks for Email and Password and sends the browser back to {@link CALLBACK_PATH}.
 *
 * @example
 * ```ts
 * await startSignIn('/settings/applications')
 * ```
 */
export async function startSignIn(returnTo = location.pathname + location.search): Promise<void> {
  const { verifier, challenge } = await pkcePair();
  const state = randomToken(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: redirectUri(),
    scope: SCOPE,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`/oauth/authorize?${params.toString()}`);
}

/** What the callback page learned: signed in (and where to go), signed out, or an error to show. */
export type CallbackOutcome =
  { kind: 'signed-in'; returnTo: string } | { kind: 'signed-out' } | { kind: 'error'; message: string };

async function tokenRequest(params: Record<string, string>) {
  const res = await fetch('/api/v2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }).toString(),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { ok: res.ok, body };
}

/**
 * Finishes a sign-in on the callback page: checks `state`, redeems the code with the PKCE verifier.
 *
 * @example
 * ```ts
 * const outcome = await completeSignIn(new URL(location.href))
 * ```
 */
export async function completeSignIn(url: URL): Promise<CallbackOutcome> {
  const q = url.searchParams;
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = raw
    ? (JSON.parse(raw) as { verifier: string; state: string; returnTo: string })
    : undefined;
  if (q.get('error')) {
    return { kind: 'error', message: q.get('error_description') ?? `Sign-in failed (${q.get('error')}).` };
  }
  const code = q.get('code');
  if (!code) return { kind: 'signed-out' };
  if (!pending || pending.state !== q.get('state')) {
    return {
      kind: 'error',
      message: 'This sign-in link is stale or was opened in another tab. Sign in again.',
    };
  }
  const { ok, body } = await tokenRequest({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  if (!ok || typeof body.access_token !== 'string') {
    const reason =
      typeof body.error_description === 'string' ? body.error_description : 'the server refused it';
    return { kind: 'error', message: `Sign-in could not be completed: ${reason}.` };
  }
  saveTokens(body as { access_token: string; refresh_token?: string; expires_in: number });
  const returnTo =
    pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('//') ? pending.returnTo : '/';
  return { kind: 'signed-in', returnTo: returnTo.startsWith(CALLBACK_PATH) ? '/' : returnTo };
}

let refreshing: Promise<void> | undefined;

async function refresh(tokens: Tokens): Promise<void> {
  if (!tokens.refreshToken) throw new SessionExpired();
  const { ok, body } = await tokenRequest({
    grant_type: 'refresh_token',
    refresh_token: tokens.refreshToken,
  });
  if (!ok || typeof body.access_token !== 'string') {
    sessionStorage.removeItem(TOKENS);
    throw new SessionExpired();
  }
  saveTokens(body as { access_token: string; refresh_token?: string; expires_in: number });
}

/** Is there a session in this tab (possibly needing a refresh)? */
export function hasSession(): boolean {
  return readTokens() !== undefined;
}

/**
 * A current access token, refreshed (once, shared by concurrent callers) when it expires within
 * 30 seconds. Throws {@link SessionExpired} when that is impossible.
 */
export async function accessToken(): Promise<string> {
  let tokens = readTokens();
  if (!tokens) throw new SessionExpired();
  if (tokens.expiresAt - Date.now() < 30_000) {
    refreshing ??= refresh(tokens).finally(() => (refreshing = undefined));
    await refreshing;
    tokens = readTokens();
    if (!tokens) throw new SessionExpired();
  }
  return tokens.accessToken;
}

/** Forgets the tokens of this tab (after the server said they are no longer valid). */
export function dropSession(): void {
  sessionStorage.removeItem(TOKENS);
}

/** The signed-in subject from the access token's payload, for display. */
export function currentSubject(): SignedInSubject | undefined {
  const tokens = readTokens();
  if (!tokens) return undefined;
  try {
    const part = tokens.accessToken.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : undefined);
    return {
      id: str('sub') ?? '',
      name: str('email') ?? str('preferred_username') ?? str('name') ?? str('sub') ?? '',
      email: str('email'),
      subjectType: str('subject_type') ?? 'user',
    };
  } catch {
    return undefined;
  }
}

/**
 * Signs out: forgets the tokens and ends the server's browser session (which also revokes this
 * client's refresh tokens), coming back to the callback page, which then offers to sign in again.
 */
export function signOut(): void {
  sessionStorage.removeItem(TOKENS);
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    post_logout_redirect_uri: redirectUri(),
    state: 'signed-out',
  });
  location.assign(`/oauth/logout?${params.toString()}`);
}
