import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { Browser, field } from '../helpers/browser.js';
import { forEachStore } from '../helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

// The browser side: sign-in page and session cookie, CSRF, the UI's client, and end-session.
forEachStore('OAuth browser flows', (kind) => {
  let server: ServerProcess;
  let as: oauth.AuthorizationServer;

  before(async () => {
    server = await startServerProcess(kind);
    const issuer = new URL(server.url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  });
  after(async () => server?.dispose());

  async function authorizeUrl(clientId: string, redirectUri: string) {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid offline_access',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's1',
    }).toString();
    return { url: url.toString(), verifier };
  }

  it('the sign-in form is CSRF-protected and the session cookie is HttpOnly and SameSite', async () => {
    const browser = new Browser(server.url);
    const { url } = await authorizeUrl('runai', 'http://localhost:8000/cb');
    const { res } = await browser.follow(url);
    const html = await res.text();
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const forged = await fetch(`${server.url}/oauth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        csrf: field(html, 'csrf'),
        return_to: field(html, 'return_to'),
        email: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
      }),
      redirect: 'manual',
    });
    assert.equal(forged.status, 403);
    assert.equal(
      forged.headers.getSetCookie().some((c) => c.startsWith('tessera_session=')),
      false,
    );

    const signed = await browser.submitSignIn(html, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.equal(signed.status, 303);
    const session = signed.headers.getSetCookie().find((c) => c.startsWith('tessera_session='))!;
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Lax/);
    assert.doesNotMatch(session, /Secure/); // plain HTTP here; Secure is set when the issuer is https

    const wrong = await new Browser(server.url).follow(url);
    const bad = await new Browser(server.url).submitSignIn(await wrong.res.text(), ADMIN_EMAIL, 'not-it');
    assert.equal(bad.status, 403); // a fresh browser without the CSRF cookie
  });

  it("the UI's public client: only its own callback, PKCE S256 required", async () => {
    const browser = new Browser(server.url);
    const good = await authorizeUrl('tessera-ui', `${server.url}/auth/callback`);
    const callback = await browser.authorize(good.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.equal(callback.origin + callback.pathname, `${server.url}/auth/callback`);
    const ui: oauth.Client = { client_id: 'tessera-ui' };
    const params = oauth.validateAuthResponse(as, ui, callback, 's1');
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      ui,
      await oauth.authorizationCodeGrantRequest(
        as,
        ui,
        oauth.None(),
        params,
        `${server.url}/auth/callback`,
        good.verifier,
        insecure,
      ),
    );
    assert.ok(tokens.access_token && tokens.refresh_token);

    const foreign = await authorizeUrl('tessera-ui', 'http://localhost:8000/cb');
    assert.equal((await browser.request('GET', foreign.url)).status, 400);
    const noPkce = new URL(good.url);
    noPkce.searchParams.delete('code_challenge');
    noPkce.searchParams.delete('code_challenge_method');
    const refused = await browser.request('GET', noPkce.toString());
    assert.equal(refused.status, 303);
    assert.equal(new URL(refused.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });

  it('end-session ends the browser session, revokes the refresh tokens and returns to a registered URI', async () => {
    const browser = new Browser(server.url);
    const runai: oauth.Client = { client_id: 'runai' };
    const redirect = 'http://127.0.0.1:8123/cb';
    const flow = await authorizeUrl('runai', redirect);
    const callback = await browser.authorize(flow.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const params = oauth.validateAuthResponse(as, runai, callback, 's1');
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      runai,
      await oauth.authorizationCodeGrantRequest(
        as,
        runai,
        oauth.None(),
        params,
        redirect,
        flow.verifier,
        insecure,
      ),
    );

    const logout = new URL(as.end_session_endpoint!);
    logout.search = new URLSearchParams({
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:8123/bye',
      state: 'x',
    }).toString();
    const res = await browser.request('GET', logout.toString());
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), 'http://127.0.0.1:8123/bye?state=x');

    // Signed out: the next authorization asks for the password again; the refresh token is dead.
    const again = await browser.follow((await authorizeUrl('runai', redirect)).url);
    assert.match(again.url, /\/oauth\/sign-in/);
    const refresh = await fetch(as.token_endpoint!, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'runai',
        refresh_token: tokens.refresh_token!,
      }),
    });
    assert.equal(refresh.status, 400);
    const unregistered = await browser.request(
      'GET',
      `/oauth/logout?client_id=runai&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    assert.equal(unregistered.status, 200);
  });
});
