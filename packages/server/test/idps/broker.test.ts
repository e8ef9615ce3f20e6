import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeJwt } from 'jose';
import { TesseraClient } from '@tessera/client';
import { call } from '../helpers/api.js';
import { Browser } from '../helpers/browser.js';
import { forEachStore } from '../helpers/each-store.js';
import {
  ssoLink,
  startSso,
  uiAuthorizeUrl,
  uiRedirect,
  upstreamLogin,
  type SsoSetup,
} from '../helpers/sso.js';

// The broker login against a real upstream provider (panva's oidc-provider on loopback): from the
// sign-in page's "Sign in with corp" through the upstream login and consent pages, just-in-time
// users, mandatory claims, refusals shown as 4xx pages, and autoRedirectSSO.
forEachStore('SSO broker login', (kind) => {
  let sso: SsoSetup;
  let server: SsoSetup['server'];
  let upstream: SsoSetup['upstream'];
  let admin: string;

  before(async () => {
    sso = await startSso(kind);
    ({ server, upstream, admin } = sso);
  });
  after(async () => sso?.dispose());

  /** From the sign-in page, follows "Sign in with corp" to the upstream login form. */
  const startBroker = (browser: Browser, signInHtml: string) => browser.wander(ssoLink(signInHtml, 'corp'));

  it('signs in through the provider: a just-in-time user with mapped groups, a session, a code for the UI', async () => {
    const browser = new Browser(server.url);
    const { url, verifier } = await uiAuthorizeUrl(server.url);
    const signIn = await browser.follow(url);
    assert.ok(signIn.url.includes('/oauth/sign-in'));
    const upstreamPage = await startBroker(browser, await signIn.res.text());
    assert.ok(upstreamPage.url.startsWith(upstream.issuer), upstreamPage.url);
    const callback = await upstreamLogin(browser, upstreamPage, 'ada@corp.example');
    assert.match(callback, /\/auth\/realms\/runai\/broker\/corp\/endpoint\?/);
    const back = await browser.follow(callback);
    const landed = new URL(back.url);
    assert.equal(landed.origin + landed.pathname, uiRedirect(server.url), back.url);
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
        redirect_uri: uiRedirect(server.url),
        code_verifier: verifier,
      }).toString(),
      undefined,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const claims = decodeJwt(token.body.access_token);
    assert.equal(claims.email, 'ada@corp.example');
    assert.deepEqual(claims.groups, ['ml-team', 'admins']);
    // No roles of its own; a rule on the group "ml-team" (from the provider) gives it Viewer.
    const users = (token: string) => call(server.url, 'GET', '/api/v1/users', undefined, token);
    assert.equal((await users(token.body.access_token)).status, 403);
    const groupRule = await call(
      server.url,
      'POST',
      '/api/v1/authorization/access-rules',
      { subjectType: 'group', subjectId: 'ml-team', roleId: 8, scopeType: 'tenant', scopeId: '1' },
      admin,
    );
    assert.equal(groupRule.status, 201, JSON.stringify(groupRule.body));
    assert.equal((await users(token.body.access_token)).status, 200);
    assert.equal(
      (
        await call(
          server.url,
          'DELETE',
          `/api/v1/authorization/access-rules/${groupRule.body.id}`,
          undefined,
          admin,
        )
      ).status,
      204,
    );

    const listed = await call(
      server.url,
      'GET',
      '/api/v1/users?filterBy=username==ada@corp.example',
      undefined,
      admin,
    );
    assert.equal(listed.body.length, 1);
    assert.equal(listed.body[0].isLocal, false);
    assert.equal(listed.body[0].createdBy, 'idp:corp');
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
    const second = await again.follow((await uiAuthorizeUrl(server.url)).url);
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
    const signIn = await browser.follow((await uiAuthorizeUrl(server.url)).url);
    const upstreamPage = await startBroker(browser, await signIn.res.text());
    const state = new URL(upstreamPage.url).searchParams.get('state') ?? '';
    const wrong = await browser.request(
      'GET',
      `/auth/realms/runai/broker/corp/endpoint?code=x&state=not-${state}`,
    );
    assert.equal(wrong.status, 400);

    const browser2 = new Browser(server.url);
    const signIn2 = await browser2.follow((await uiAuthorizeUrl(server.url)).url);
    const started = await browser2.request('GET', ssoLink(await signIn2.res.text(), 'corp'));
    const upstreamUrl = new URL(started.headers.get('location')!);
    const denied = await browser2.request(
      'GET',
      `/auth/realms/runai/broker/corp/endpoint?error=access_denied&state=${upstreamUrl.searchParams.get('state')}`,
    );
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /access denied/);

    // An address the provider has not verified signs nobody in (users are matched by email).
    const browser4 = new Browser(server.url);
    const signIn4 = await browser4.follow((await uiAuthorizeUrl(server.url)).url);
    const callback4 = await upstreamLogin(
      browser4,
      await startBroker(browser4, await signIn4.res.text()),
      'unverified@corp.example',
    );
    const unverified = await browser4.request('GET', callback4);
    assert.equal(unverified.status, 403);
    assert.match(await unverified.text(), /has not verified your email address/);

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
      const signIn3 = await browser3.follow((await uiAuthorizeUrl(server.url)).url);
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
      const landed = await browser.wander((await uiAuthorizeUrl(server.url)).url);
      assert.ok(landed.url.startsWith(upstream.issuer), landed.url);
      const local = await fetch(`${server.url}/oauth/sign-in?local=1`);
      assert.equal(local.status, 200);
      assert.match(await local.text(), /name="password"/);
    } finally {
      assert.equal((await set(false)).status, 200);
    }
  });
});
