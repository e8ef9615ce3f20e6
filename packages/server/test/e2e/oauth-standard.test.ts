import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { adminToken, call } from '../helpers/api.js';
import { Browser } from '../helpers/browser.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const runai: oauth.Client = { client_id: 'runai' };
const REDIRECT = 'http://127.0.0.1:53682/callback';

async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(
    url,
    await oauth.discoveryRequest(url, { algorithm: 'oidc', ...insecure }),
  );
}

async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) return err.error;
    // A 401 with a WWW-Authenticate challenge (invalid_client): read the RFC 6749 body ourselves.
    if (err instanceof oauth.WWWAuthenticateChallengeError)
      return ((await err.response.json()) as { error: string }).error;
    throw err;
  }
  throw new Error('expected an OAuth error response');
}

/** Runs the code flow for `runai` through the sign-in page; returns the callback URL and PKCE data. */
async function codeFlow(
  as: oauth.AuthorizationServer,
  browser: Browser,
  extra: Record<string, string> = {},
): Promise<{ callback: URL; verifier: string; nonce: string; state: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: 'runai',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid email offline_access',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  }).toString();
  const callback = await browser.authorize(url.toString(), ADMIN_EMAIL, ADMIN_PASSWORD);
  return { callback, verifier, nonce, state };
}

forEachStore('standard OAuth 2.0 / OIDC clients', (kind) => {
  let server: ServerProcess;
  let as: oauth.AuthorizationServer;
  let app: { id: string; clientId: string; secret: string };

  before(async () => {
    server = await startServerProcess(kind);
    const created = await call(
      server.url,
      'POST',
      '/api/v1/apps',
      { name: 'oidc-app', roles: ['admin'] },
      await adminToken(server.url),
    );
    assert.equal(created.status, 201);
    app = created.body;
    as = await discover(server.url);
  });
  after(async () => server?.dispose());

  it('discovery: canonical and realm documents pass oauth4webapi issuer checks and list every endpoint', async () => {
    assert.equal(as.issuer, server.url);
    for (const key of [
      'authorization_endpoint',
      'token_endpoint',
      'device_authorization_endpoint',
      'introspection_endpoint',
      'revocation_endpoint',
      'userinfo_endpoint',
      'end_session_endpoint',
      'jwks_uri',
    ] as const) {
      assert.ok(as[key], key);
    }
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    const realm = await discover(`${server.url}/auth/realms/runai`);
    assert.equal(realm.issuer, `${server.url}/auth/realms/runai`);
    assert.ok(realm.token_endpoint!.startsWith(realm.issuer));
  });

  it('client_credentials with client_secret_basic (oauth4webapi) and client_secret_post (openid-client)', async () => {
    const client = { client_id: app.clientId };
    const res = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(app.secret),
      new URLSearchParams(),
      insecure,
    );
    const tokens = await oauth.processClientCredentialsResponse(as, client, res);
    assert.equal(tokens.token_type, 'bearer');
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(as.jwks_uri!)), {
      issuer: server.url,
      audience: 'runai',
      typ: 'at+jwt',
    });
    assert.equal(payload.sub, app.id);

    const config = await openid.discovery(
      new URL(server.url),
      app.clientId,
      app.secret,
      openid.ClientSecretPost(app.secret),
      { execute: [openid.allowInsecureRequests] },
    );
    const viaPost = await openid.clientCredentialsGrant(config);
    assert.ok(viaPost.access_token);
    assert.equal(
      await oauthError(
        oauth.processClientCredentialsResponse(
          as,
          client,
          await oauth.clientCredentialsGrantRequest(
            as,
            client,
            oauth.ClientSecretBasic('wrong'),
            new URLSearchParams(),
            insecure,
          ),
        ),
      ),
      'invalid_client',
    );
  });

  it('password grant (openid-client) for runai: ID token verifies as kube-apiserver would, payloads are Python-safe', async () => {
    const config = await openid.discovery(new URL(server.url), 'runai', undefined, openid.None(), {
      execute: [openid.allowInsecureRequests],
    });
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
    for (let i = 0; i < 5; i++) {
      const tokens = await openid.genericGrantRequest(config, 'password', {
        username: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
        scope: 'openid email offline_access',
      });
      assert.ok(tokens.refresh_token);
      const { payload } = await jwtVerify(tokens.id_token!, jwks, {
        issuer: server.url,
        audience: 'runai',
        algorithms: ['ES256'],
      });
      assert.equal(payload.email, ADMIN_EMAIL);
      assert.ok(Array.isArray(payload.groups));
      await jwtVerify(tokens.access_token, jwks, {
        issuer: server.url,
        audience: 'runai',
        algorithms: ['ES256'],
      });
      for (const jwt of [tokens.id_token!, tokens.access_token])
        assert.doesNotMatch(jwt.split('.')[1]!, /[-_]/);
    }
    await assert.rejects(
      openid.genericGrantRequest(config, 'password', { username: ADMIN_EMAIL, password: 'nope' }),
      (err: { error?: string }) => err.error === 'invalid_grant',
    );
  });

  it('v1 password grant for runai returns idToken and refreshToken; v1 refresh_token rotates them', async () => {
    const login = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'password',
      clientID: 'runai',
      username: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    assert.equal(login.status, 200);
    assert.ok(login.body.idToken && login.body.refreshToken);
    assert.equal(decodeJwt(login.body.idToken).aud, 'runai');
    const refreshed = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'refresh_token',
      refreshToken: login.body.refreshToken,
      clientID: 'runai',
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refreshToken, login.body.refreshToken);
    const again = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'refresh_token',
      refreshToken: login.body.refreshToken,
      clientID: 'runai',
    });
    assert.equal(again.status, 401);
  });

  it('refresh: rotated on every use; reuse revokes the family and is audited; another client gets invalid_grant', async () => {
    const startedAt = Date.now();
    const { callback, verifier, nonce, state } = await codeFlow(as, new Browser(server.url));
    const params = oauth.validateAuthResponse(as, runai, callback, state);
    const first = await oauth.processAuthorizationCodeResponse(
      as,
      runai,
      await oauth.authorizationCodeGrantRequest(
        as,
        runai,
        oauth.None(),
        params,
        REDIRECT,
        verifier,
        insecure,
      ),
      { expectedNonce: nonce, requireIdToken: true },
    );
    const ui: oauth.Client = { client_id: 'tessera-ui' };
    assert.equal(
      await oauthError(
        oauth.processRefreshTokenResponse(
          as,
          ui,
          await oauth.refreshTokenGrantRequest(as, ui, oauth.None(), first.refresh_token!, insecure),
        ),
      ),
      'invalid_grant',
    );

    const second = await oauth.processRefreshTokenResponse(
      as,
      runai,
      await oauth.refreshTokenGrantRequest(as, runai, oauth.None(), first.refresh_token!, insecure),
    );
    assert.ok(second.refresh_token && second.refresh_token !== first.refresh_token);
    assert.ok(second.id_token);
    const third = await oauth.processRefreshTokenResponse(
      as,
      runai,
      await oauth.refreshTokenGrantRequest(as, runai, oauth.None(), second.refresh_token!, insecure),
    );
    // Reuse of a rotated token: refused, and the newest token of the family dies with it.
    assert.equal(
      await oauthError(
        oauth.processRefreshTokenResponse(
          as,
          runai,
          await oauth.refreshTokenGrantRequest(as, runai, oauth.None(), first.refresh_token!, insecure),
        ),
      ),
      'invalid_grant',
    );
    assert.equal(
      await oauthError(
        oauth.processRefreshTokenResponse(
          as,
          runai,
          await oauth.refreshTokenGrantRequest(as, runai, oauth.None(), third.refresh_token!, insecure),
        ),
      ),
      'invalid_grant',
    );
    const store = openDirect(server.db);
    try {
      const events = await store.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'token.refresh_reuse')
        .where('timestamp', '>=', startedAt)
        .execute();
      assert.equal(events.length, 1);
      const rows = await store.db.selectFrom('oauth_refresh_tokens').select('token_hash').execute();
      for (const r of rows)
        assert.ok(![first.refresh_token, second.refresh_token, third.refresh_token].includes(r.token_hash));
    } finally {
      await store.close();
    }
  });

  it('authorization code + PKCE through the sign-in page; userinfo; realm issuer flows keep their issuer', async () => {
    const browser = new Browser(server.url);
    const { callback, verifier, nonce, state } = await codeFlow(as, browser);
    const params = oauth.validateAuthResponse(as, runai, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      runai,
      await oauth.authorizationCodeGrantRequest(
        as,
        runai,
        oauth.None(),
        params,
        REDIRECT,
        verifier,
        insecure,
      ),
      { expectedNonce: nonce, requireIdToken: true },
    );
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    const info = await oauth.processUserInfoResponse(
      as,
      runai,
      claims.sub,
      await oauth.userInfoRequest(as, runai, tokens.access_token, insecure),
    );
    assert.equal(info.email, ADMIN_EMAIL);
    // Replayed code: refused.
    assert.equal(
      await oauthError(
        oauth.processAuthorizationCodeResponse(
          as,
          runai,
          await oauth.authorizationCodeGrantRequest(
            as,
            runai,
            oauth.None(),
            params,
            REDIRECT,
            verifier,
            insecure,
          ),
        ),
      ),
      'invalid_grant',
    );

    const realmAs = await discover(`${server.url}/auth/realms/runai`);
    const realmFlow = await codeFlow(realmAs, browser); // already signed in: no sign-in page this time
    const realmParams = oauth.validateAuthResponse(realmAs, runai, realmFlow.callback, realmFlow.state);
    const realmTokens = await oauth.processAuthorizationCodeResponse(
      realmAs,
      runai,
      await oauth.authorizationCodeGrantRequest(
        realmAs,
        runai,
        oauth.None(),
        realmParams,
        REDIRECT,
        realmFlow.verifier,
        insecure,
      ),
      { expectedNonce: realmFlow.nonce, requireIdToken: true },
    );
    assert.equal(oauth.getValidatedIdTokenClaims(realmTokens)!.iss, realmAs.issuer);
  });

  it('wrong redirect_uri, missing or wrong PKCE verifier, mixed-up client_id: RFC errors, nothing issued', async () => {
    const browser = new Browser(server.url);
    const wrong = await browser.request(
      'GET',
      `/oauth/authorize?client_id=runai&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
    );
    assert.equal(wrong.status, 400);
    assert.equal(wrong.headers.get('location'), null);
    const noPkce = await codeFlow(as, browser, { code_challenge_method: 'plain' });
    assert.equal(noPkce.callback.searchParams.get('error'), 'invalid_request');

    const missing = await codeFlow(as, browser);
    const missingParams = oauth.validateAuthResponse(as, runai, missing.callback, missing.state);
    const form = (p: Record<string, string>) =>
      fetch(as.token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(p),
      });
    const noVerifier = await form({
      grant_type: 'authorization_code',
      client_id: 'runai',
      code: missingParams.get('code')!,
      redirect_uri: REDIRECT,
    });
    assert.equal(noVerifier.status, 400);
    assert.equal(((await noVerifier.json()) as { error: string }).error, 'invalid_grant');

    const wrongVerifier = await codeFlow(as, browser);
    const wvParams = oauth.validateAuthResponse(as, runai, wrongVerifier.callback, wrongVerifier.state);
    assert.equal(
      await oauthError(
        oauth.processAuthorizationCodeResponse(
          as,
          runai,
          await oauth.authorizationCodeGrantRequest(
            as,
            runai,
            oauth.None(),
            wvParams,
            REDIRECT,
            oauth.generateRandomCodeVerifier(),
            insecure,
          ),
        ),
      ),
      'invalid_grant',
    );

    const otherRedirect = await codeFlow(as, browser);
    const orParams = oauth.validateAuthResponse(as, runai, otherRedirect.callback, otherRedirect.state);
    assert.equal(
      await oauthError(
        oauth.processAuthorizationCodeResponse(
          as,
          runai,
          await oauth.authorizationCodeGrantRequest(
            as,
            runai,
            oauth.None(),
            orParams,
            'http://127.0.0.1:9/other',
            otherRedirect.verifier,
            insecure,
          ),
        ),
      ),
      'invalid_grant',
    );

    const basic = `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString('base64')}`;
    const mixed = await fetch(as.token_endpoint!, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'runai' }),
    });
    assert.equal(mixed.status, 400);
    const body = (await mixed.json()) as Record<string, unknown>;
    assert.equal(body.error, 'invalid_request');
    assert.equal(body.access_token, undefined);
  });

  it('device flow: pending, approval on the user-code page, tokens once; an expired device code is expired_token', async () => {
    const start = async () =>
      oauth.processDeviceAuthorizationResponse(
        as,
        runai,
        await oauth.deviceAuthorizationRequest(
          as,
          runai,
          oauth.None(),
          new URLSearchParams({ scope: 'openid offline_access' }),
          insecure,
        ),
      );
    const poll = async (code: string) =>
      oauth.processDeviceCodeResponse(
        as,
        runai,
        await oauth.deviceCodeGrantRequest(as, runai, oauth.None(), code, insecure),
      );
    const device = await start();
    assert.match(device.user_code, /^[B-Z]{4}-[B-Z]{4}$/);
    assert.equal(await oauthError(poll(device.device_code)), 'authorization_pending');
    const approved = await new Browser(server.url).approveDevice(
      device.user_code,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
    );
    assert.equal(approved.status, 200);
    const tokens = await poll(device.device_code);
    assert.ok(tokens.access_token && tokens.id_token && tokens.refresh_token);
    assert.equal(await oauthError(poll(device.device_code)), 'invalid_grant');

    const stale = await start();
    const store = openDirect(server.db);
    try {
      await store.db
        .updateTable('oauth_device_codes')
        .set({ expires_at: Date.now() - 1 })
        .where('user_code', '=', stale.user_code)
        .execute();
    } finally {
      await store.close();
    }
    assert.equal(await oauthError(poll(stale.device_code)), 'expired_token');
  });

  it('introspection is active before and inactive after revocation (access and refresh tokens)', async () => {
    const config = await openid.discovery(
      new URL(server.url),
      app.clientId,
      app.secret,
      openid.ClientSecretBasic(app.secret),
      { execute: [openid.allowInsecureRequests] },
    );
    const { access_token } = await openid.clientCredentialsGrant(config);
    assert.equal((await openid.tokenIntrospection(config, access_token)).active, true);
    await openid.tokenRevocation(config, access_token);
    assert.equal((await openid.tokenIntrospection(config, access_token)).active, false);
    const denied = await call(server.url, 'GET', '/api/v1/apps', undefined, access_token);
    assert.equal(denied.status, 401);

    const user = await oauth.processGenericTokenEndpointResponse(
      as,
      runai,
      await oauth.genericTokenEndpointRequest(
        as,
        runai,
        oauth.None(),
        'password',
        new URLSearchParams({
          username: ADMIN_EMAIL,
          password: ADMIN_PASSWORD,
          scope: 'openid offline_access',
        }),
        insecure,
      ),
    );
    assert.equal((await openid.tokenIntrospection(config, user.refresh_token!)).active, true);
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, runai, oauth.None(), user.refresh_token!, insecure),
    );
    assert.equal((await openid.tokenIntrospection(config, user.refresh_token!)).active, false);
    assert.equal(
      await oauthError(
        oauth.processRefreshTokenResponse(
          as,
          runai,
          await oauth.refreshTokenGrantRequest(as, runai, oauth.None(), user.refresh_token!, insecure),
        ),
      ),
      'invalid_grant',
    );
  });

  it('v1 exchange_token trades a code (PKCE verifier as codeVerifier) for tokens', async () => {
    const flow = await codeFlow(as, new Browser(server.url));
    const code = flow.callback.searchParams.get('code')!;
    const res = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'exchange_token',
      code,
      redirectUri: REDIRECT,
      clientID: 'runai',
      codeVerifier: flow.verifier,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.idToken && res.body.refreshToken);
    const replay = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'exchange_token',
      code,
      redirectUri: REDIRECT,
      clientID: 'runai',
      codeVerifier: flow.verifier,
    });
    assert.equal(replay.status, 401);
  });
});
