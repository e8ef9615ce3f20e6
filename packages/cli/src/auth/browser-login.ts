import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { CliError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { discover, endpoint } from './discovery.js';
import { send, serverMessage } from './http.js';
import { CLIENT_ID, fromOAuth, type TokenSet } from './tokens.js';

/** The loopback port Run:ai's CLI listens on by default. */
export const DEFAULT_LISTEN_PORT = 43121;
const SCOPE = 'openid email profile groups offline_access';
const TIMEOUT_MS = 5 * 60_000;

/** A PKCE pair (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function openBrowser(rt: Runtime, url: string): void {
  const command = rt.env.browser ?? (process.platform === 'darwin' ? 'open' : 'xdg-open');
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // The URL is printed anyway.
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new CliError(
          `cannot listen on 127.0.0.1:${port} for the login redirect (${err.code ?? err.message})`,
          {
            hint: 'choose another port with `--listen-port`, or use `runai login --remote-browser`',
          },
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const PAGE = (title: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${title}</p><p>You can close this window and return to the terminal.</p>`;

/**
 * Browser login: authorization code + PKCE S256 with a loopback redirect (RFC 8252). Prints the
 * authorization URL (and opens a browser when there is a display), waits for the redirect, checks
 * `state`, and exchanges the code at the token endpoint.
 *
 * @example
 * ```ts
 * const tokens = await browserLogin(rt, 'https://tessera.example.com', 43121)
 * ```
 */
export async function browserLogin(rt: Runtime, issuer: string, port: number): Promise<TokenSet> {
  const meta = await discover(issuer);
  const authorize = endpoint(meta, 'authorization_endpoint', 'browser login');
  const tokenEndpoint = endpoint(meta, 'token_endpoint', 'browser login');
  const server = await listen(port);
  try {
    const actualPort = (server.address() as { port: number }).port;
    const redirectUri = `http://127.0.0.1:${actualPort}/callback`;
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(16).toString('base64url');
    const url = new URL(authorize);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      scope: SCOPE,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    rt.err.write(
      `Open this URL in a browser to log in:\n\n  ${url.toString()}\n\nWaiting for the login to finish...\n`,
    );
    if (rt.env.hasDisplay) openBrowser(rt, url.toString());
    const code = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new CliError('the browser login was not completed within 5 minutes')),
        TIMEOUT_MS,
      );
      server.on('request', (req, res) => {
        const got = new URL(req.url ?? '/', redirectUri);
        if (got.pathname !== '/callback') {
          res.writeHead(404).end();
          return;
        }
        const error = got.searchParams.get('error');
        if (got.searchParams.get('state') !== state) {
          res
            .writeHead(400, { 'content-type': 'text/html' })
            .end(PAGE('Login failed: the request did not match.'));
          return;
        }
        clearTimeout(timer);
        if (error) {
          res.writeHead(400, { 'content-type': 'text/html' }).end(PAGE('Login failed.'));
          const description = got.searchParams.get('error_description');
          reject(new CliError(`login failed: ${error}${description ? ` (${description})` : ''}`));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Logged in to Tessera.'));
        resolve(got.searchParams.get('code') ?? '');
      });
    });
    const res = await send(tokenEndpoint, {
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: CLIENT_ID,
        code_verifier: verifier,
      },
    });
    const tokens = fromOAuth(res);
    if (!tokens) throw new CliError(`login failed: ${serverMessage(res)} (HTTP ${res.status})`);
    return tokens;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
