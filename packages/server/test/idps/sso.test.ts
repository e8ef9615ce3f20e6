import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { TesseraClient } from '@tessera/client';
import { adminToken, call } from '../helpers/api.js';
import { Browser, field } from '../helpers/browser.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startUpstreamIdp, type UpstreamIdp } from '../helpers/upstream-idp.js';

const UI_REDIRECT = (url: string) => `${url}/auth/callback`;

// SSO against a real upstream provider (panva's oidc-provider on loopback): the broker login from
// the sign-in page's button through the upstream login and consent pages, just-in-time users,
// mandatory claims, refusals shown as 4xx pages, autoRedirectSSO, and external_token_exchange.
forEachStore('SSO with an upstream OIDC provider', (kind) => {
  let server: ServerProcess;
  let upstream: UpstreamIdp;
  let admin: string;

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
    upstream = await startUpstreamIdp([`${server.url}/auth/realms/runai/broker/corp/endpoint`]);
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
  });
  after(async () => {
    await upstream?.close();
    await server?.dispose();
  });

  async function uiAuthorizeUrl() {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${server.url}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: 'tessera-ui',
      redirect_uri: UI_REDIRECT(server.url),
      response_type: 'code',
      scope: 'openid email groups',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'ui-state',
    }).toString();
    return { url: url.toString(), verifier };
  }

  /** From the sign-in page, presses "Sign in with corp" and lands on the upstream login form. */
  async function startBroker(browser: Browser, signInHtml: string) {
    const link = /<a class="sso" role="button" href="([^"]+)">Sign in with corp<\/a>/.exec(signInHtml);
    assert.ok(link, 'the sign-in page offers "Sign in with corp"');
    return browser.wander(link[1]!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))));
  }

  /** Fills the upstream's development login form, then its consent form; returns where it sends the browser. */
  async function upstreamLogin(browser: Browser, loginPage: { res?: Response; url: string }, login: string) {
    const html = await loginPage.res!.text();
    const submit = /action="([^"]+)"/.exec(html)![1]!;
    let res = await browser.request('POST', new URL(submit, loginPage.url).toString(), {
      prompt: 'login',
      login,
      password: 'any',
    });
    let next = await browser.wander(new URL(res.headers.get('location')!, loginPage.url).toString(), (u) =>
      u.pathname.startsWith('/auth/realms/'),
    );
    if (next.res) {
      // The consent page.
      const consent = await next.res.text();
      const confirm = /action="([^"]+)"/.exec(consent)![1]!;
      res = await browser.request('POST', new URL(confirm, next.url).toString(), { prompt: 'consent' });
      next = await browser.wander(new URL(res.headers.get('location')!, next.url).toString(), (u) =>
        u.pathname.startsWith('/auth/realms/'),
      );
    }
    return next.url;
  }

  it('signs in through the provider: a just-in-time user with mapped groups, a session, a code for the UI', async () => {
    const browser = new Browser(server.url);
    const { url, verifier } = await uiAuthorizeUrl();
    const signIn = await browser.follow(url);
    assert.ok(signIn.url.includes('/oauth/sign-in'));
    const upstreamPage = await startBroker(browser, await signIn.res.text());
    assert.ok(upstreamPage.url.startsWith(upstream.issuer), upstreamPage.url);
    const callback = await upstreamLogin(browser, upstreamPage, 'ada@corp.example');
    assert.match(callback, /\/auth\/realms\/runai\/broker\/corp\/endpoint\?/);
    const back = await browser.follow(callback);
    const landed = new URL(back.url);
    assert.equal(landed.origin + landed.pathname, UI_REDIRECT(server.url), back.url);
    assert.equal(landed.searchParams.get('state'), 'ui-state');
    const code = landed.searchParams.get('code')!;
    const token = await call(
      server.url,
      'POST',
      '/api/v2/token',
      new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'tessera-ui',
        code,
        redirect_uri: UI_REDIRECT(server.url),
        code_verifier: verifier,
      }).toString(),
      undefined,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const claims = decodeJwt(token.body.access_token);
    assert.equal(claims.email, 'ada@corp.example');
    assert.deepEqual(claims.groups, ['ml-team', 'admins']);

    const users = await call(
      server.url,
      'GET',
      '/api/v1/users?filterBy=username==ada@corp.example',
      undefined,
      admin,
    );
    assert.equal(users.body.length, 1);
    assert.equal(users.body[0].isLocal, false);
    assert.equal(users.body[0].createdBy, 'idp:corp');
    // A JIT user has no password and no roles.
    const pw = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'password',
      username: 'ada@corp.example',
      password: 'any-password-at-all',
    });
    assert.equal(pw.status, 401);
    const rules = await call(
      server.url,
      'GET',
      '/api/v1/authorization/access-rules?subjectId=ada@corp.example',
      undefined,
      admin,
    );
    assert.equal(rules.body.accessRules.filter((r: any) => r.subjectId === 'ada@corp.example').length, 0);
    const audit = await call(
      server.url,
      'GET',
      '/api/v1/audit/log?start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&numberOfSamples=1000',
      undefined,
      admin,
    );
    const jit = audit.body.audit_logs.find(
      (e: any) => e.action === 'create' && e.entity_name === 'ada@corp.example',
    );
    assert.ok(jit, `JIT creation audited: ${JSON.stringify(audit.body.audit_logs.slice(0, 5))}`);

    // A second SSO sign-in finds the same user.
    const again = new Browser(server.url);
    const second = await again.follow((await uiAuthorizeUrl()).url);
    const callback2 = await upstreamLogin(
      again,
      await startBroker(again, await second.res.text()),
      'ada@corp.example',
    );
    const back2 = await again.follow(callback2);
    assert.ok(new URL(back2.url).searchParams.get('code'));
    const count = await call(
      server.url,
      'GET',
      '/api/v1/users/count?filterBy=username==ada@corp.example',
      undefined,
      admin,
    );
    assert.equal(count.body.count, 1);
  });

  it('a bad state, a missing cookie, denied consent and a failed mandatory claim are readable 4xx pages', async () => {
    const noCookie = await fetch(`${server.url}/auth/realms/runai/broker/corp/endpoint?code=x&state=y`, {
      redirect: 'manual',
    });
    assert.equal(noCookie.status, 400);
    assert.match(
      await noCookie.text(),
      /role="alert">This sign-in has expired or was started in another browser/,
    );

    const browser = new Browser(server.url);
    const signIn = await browser.follow((await uiAuthorizeUrl()).url);
    const upstreamPage = await startBroker(browser, await signIn.res.text());
    const state = new URL(upstreamPage.url).searchParams.get('state') ?? '';
    const wrong = await browser.request(
      'GET',
      `/auth/realms/runai/broker/corp/endpoint?code=x&state=not-${state}`,
    );
    assert.equal(wrong.status, 400);

    const browser2 = new Browser(server.url);
    const signIn2 = await browser2.follow((await uiAuthorizeUrl()).url);
    const href = /class="sso" role="button" href="([^"]+)"/.exec(await signIn2.res.text())![1]!;
    const started = await browser2.request(
      'GET',
      href.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))),
    );
    const upstreamUrl = new URL(started.headers.get('location')!);
    const denied = await browser2.request(
      'GET',
      `/auth/realms/runai/broker/corp/endpoint?error=access_denied&state=${upstreamUrl.searchParams.get('state')}`,
    );
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /access denied/);

    // Only members of "finance" may sign in now; ada is not.
    const idp = await new TesseraClient({ baseUrl: server.url, token: admin }).idps.get('corp');
    const update = {
      type: 'oidc',
      oidcData: { ...idp.oidcData, mandatoryClaim: { claim: 'groups', values: ['finance'] } },
      mappers: idp.mappers,
    };
    assert.equal((await call(server.url, 'PUT', '/api/v1/idps/corp', update, admin)).status, 200);
    try {
      const browser3 = new Browser(server.url);
      const signIn3 = await browser3.follow((await uiAuthorizeUrl()).url);
      const callback = await upstreamLogin(
        browser3,
        await startBroker(browser3, await signIn3.res.text()),
        'ada@corp.example',
      );
      const refused = await browser3.request('GET', callback);
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /not allowed to sign in here/);
    } finally {
      delete (update.oidcData as { mandatoryClaim?: unknown }).mandatoryClaim;
      assert.equal((await call(server.url, 'PUT', '/api/v1/idps/corp', update, admin)).status, 200);
    }
  });

  it('autoRedirectSSO sends sign-in straight to the provider; ?local=1 still shows the password form', async () => {
    const set = (enabled: boolean) =>
      call(
        server.url,
        'PUT',
        '/api/v1/security/settings/autoRedirectSSO',
        { enabled, idpAlias: 'corp' },
        admin,
      );
    assert.equal((await set(true)).status, 200);
    try {
      const browser = new Browser(server.url);
      const landed = await browser.wander((await uiAuthorizeUrl()).url);
      assert.ok(landed.url.startsWith(upstream.issuer), landed.url);
      const local = await fetch(`${server.url}/oauth/sign-in?local=1`);
      assert.equal(local.status, 200);
      assert.match(await local.text(), /name="password"/);
    } finally {
      assert.equal((await set(false)).status, 200);
    }
  });

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
    const html = await loginPage.res!.text();
    let res = await browser.request(
      'POST',
      new URL(/action="([^"]+)"/.exec(html)![1]!, loginPage.url).toString(),
      {
        prompt: 'login',
        login: 'grace@corp.example',
        password: 'any',
      },
    );
    const isCallback = (u: URL) => u.toString().startsWith(upstream.testRedirectUri);
    let next = await browser.wander(
      new URL(res.headers.get('location')!, loginPage.url).toString(),
      isCallback,
    );
    if (next.res) {
      const consent = await next.res.text();
      res = await browser.request(
        'POST',
        new URL(/action="([^"]+)"/.exec(consent)![1]!, next.url).toString(),
        {
          prompt: 'consent',
        },
      );
      next = await browser.wander(new URL(res.headers.get('location')!, next.url).toString(), isCallback);
    }
    const code = new URL(next.url).searchParams.get('code')!;
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
  });

  it('a user on a temporary password gets no session until the change form is done', async () => {
    const created = await call(server.url, 'POST', '/api/v1/users', { email: 'temp@example.com' }, admin);
    const browser = new Browser(server.url);
    const { url } = await uiAuthorizeUrl();
    const signIn = await browser.follow(url);
    const res = await browser.submitSignIn(
      await signIn.res.text(),
      'temp@example.com',
      created.body.tempPassword,
    );
    assert.equal(res.status, 200);
    const form = await res.text();
    assert.match(form, /<label for="new_password">New password<\/label>/);
    // Not signed in yet: authorizing still asks for sign-in.
    assert.ok((await browser.follow(url)).url.includes('/oauth/sign-in'));
    const change = (next: string, confirm: string) =>
      browser.request('POST', '/oauth/password-change', {
        csrf: field(form, 'csrf'),
        return_to: field(form, 'return_to'),
        new_password: next,
        confirm_password: confirm,
      });
    const short = await change('short', 'short');
    assert.equal(short.status, 400);
    assert.match(await short.text(), /role="alert">The new password must be at least 8 characters long/);
    const same = await change(created.body.tempPassword, created.body.tempPassword);
    assert.match(await same.text(), /must differ from the temporary one/);
    const done = await change('a-brand-new-password', 'a-brand-new-password');
    assert.equal(done.status, 303);
    const landed = await browser.follow(done.headers.get('location')!);
    assert.ok(new URL(landed.url).searchParams.get('code'), landed.url);
    // The change ticket is spent.
    assert.equal((await change('another-new-password', 'another-new-password')).status, 403);
  });
});
