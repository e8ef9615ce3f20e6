import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { TesseraClient } from '@tessera/client';
import { call } from '../helpers/api.js';
import { Browser } from '../helpers/browser.js';
import { forEachStore } from '../helpers/each-store.js';
import { startSso, upstreamLogin, type SsoSetup } from '../helpers/sso.js';

// grantType external_token_exchange with a real upstream ID token (panva's oidc-provider).
forEachStore('external_token_exchange', (kind) => {
  let sso: SsoSetup;
  let server: SsoSetup['server'];
  let upstream: SsoSetup['upstream'];

  before(async () => {
    sso = await startSso(kind);
    ({ server, upstream } = sso);
  });
  after(async () => sso?.dispose());

  it('external_token_exchange trades an upstream ID token for our tokens; other tokens get 401', async () => {
    // An ID token from the upstream, obtained with its own code flow and the client's secret.
    const browser = new Browser(upstream.issuer);
    const verifier = oauth.generateRandomCodeVerifier();
    const auth = new URL(`${upstream.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: upstream.clientId,
      redirect_uri: upstream.testRedirectUri,
      response_type: 'code',
      scope: 'openid email groups',
      nonce: 'n-1',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const loginPage = await browser.wander(auth.toString());
    const callback = await upstreamLogin(browser, loginPage, 'grace@corp.example', (u) =>
      u.toString().startsWith(upstream.testRedirectUri),
    );
    const code = new URL(callback).searchParams.get('code')!;
    const exchanged = await fetch(`${upstream.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${upstream.clientId}:${upstream.clientSecret}`)}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: upstream.testRedirectUri,
        code_verifier: verifier,
      }),
    });
    const idToken = ((await exchanged.json()) as { id_token: string }).id_token;
    assert.ok(idToken);

    // Through the typed client (the field names are case-insensitive on the wire; see below).
    const granted = await new TesseraClient({ baseUrl: server.url }).token.externalToken(idToken);
    assert.equal(decodeJwt(granted.accessToken).email, 'grace@corp.example');
    assert.ok(granted.idToken && granted.refreshToken);
    const mixedCase = await call(server.url, 'POST', '/api/v1/token', {
      GrantType: 'external_token_exchange',
      ExternalToken: idToken,
    });
    assert.equal(mixedCase.status, 200, JSON.stringify(mixedCase.body));
    const me = await call(
      server.url,
      'GET',
      '/api/v1/authorization/me/access-rules',
      undefined,
      granted.accessToken,
    );
    assert.equal(me.status, 200);

    // A token from an issuer no provider of this tenant has, a tampered token, and no token at all.
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ email: 'eve@evil.example' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://evil.example')
      .setAudience(upstream.clientId)
      .setSubject('eve')
      .setExpirationTime('5m')
      .sign(privateKey);
    const forged = await new SignJWT({ email: 'ada@corp.example' })
      .setProtectedHeader({ alg: 'RS256', kid: 'upstream' })
      .setIssuer(upstream.issuer)
      .setAudience(upstream.clientId)
      .setSubject('ada')
      .setExpirationTime('5m')
      .sign(privateKey);
    for (const externalToken of [foreign, forged, 'not-a-jwt']) {
      const refused = await call(server.url, 'POST', '/api/v1/token', {
        grantType: 'external_token_exchange',
        externalToken,
      });
      assert.equal(refused.status, 401, externalToken.slice(0, 20));
      assert.deepEqual(refused.body, { code: 401, message: 'Invalid credentials' });
    }
    const missing = await call(server.url, 'POST', '/api/v1/token', { grantType: 'external_token_exchange' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /^externalToken: /);

    // Failures are throttled per (issuer, address) like the other grants: 429 with Retry-After.
    let last = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'external_token_exchange',
      externalToken: foreign,
    });
    for (let i = 0; i < 10 && last.status === 401; i++) {
      last = await call(server.url, 'POST', '/api/v1/token', {
        grantType: 'external_token_exchange',
        externalToken: foreign,
      });
    }
    assert.equal(last.status, 429, JSON.stringify(last.body));
    assert.ok(Number(last.headers.get('retry-after')) >= 1);
    // Another issuer's genuine token from the same address still works.
    assert.equal(
      (
        await call(server.url, 'POST', '/api/v1/token', {
          grantType: 'external_token_exchange',
          externalToken: idToken,
        })
      ).status,
      200,
    );
  });
});
