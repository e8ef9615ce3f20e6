import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { call } from '../../../server/test/helpers/api.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import { startSso, type SsoSetup } from '../../../server/test/helpers/sso.js';
import { ensureWebBuilt, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';

// In Chromium through the web UI: single sign-on with an upstream provider (panva's oidc-provider)
// for a user Tessera has never seen, and the forced password change of a temporary password.
forEachStore('web UI: SSO and forced password change', (kind) => {
  let sso: SsoSetup;
  let server: SsoSetup['server'];
  let upstream: SsoSetup['upstream'];
  let browser: Browser;
  let admin: string;

  before(async () => {
    ensureWebBuilt();
    sso = await startSso(kind);
    ({ server, upstream, admin } = sso);
    browser = await launchBrowser(server.url);
  });
  after(async () => {
    await browser?.close();
    await sso?.dispose();
  });

  async function freshPage(): Promise<Page> {
    await browser.context.clearCookies();
    return browser.newPage();
  }

  it('"Sign in with corp" → the provider\'s login → back in the UI as a new (just-in-time) user', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/`);
    const sso = page.getByRole('button', { name: /Sign in with corp/ });
    await sso.waitFor();
    await screenshot(page, `sso-sign-in-${kind}`);
    await sso.click();
    await page.waitForURL((url) => url.toString().startsWith(upstream.issuer));
    await page.getByPlaceholder('Enter any login').fill('lin@corp.example');
    await page.getByPlaceholder('and password').fill('whatever');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    assert.equal(new URL(page.url()).origin, server.url);
    assert.match((await page.getByText('Signed in as').textContent()) ?? '', /lin@corp\.example/);
    await screenshot(page, `sso-signed-in-${kind}`);
    const users = await call(
      server.url,
      'GET',
      '/api/v1/users?filterBy=username==lin@corp.example',
      undefined,
      admin,
    );
    assert.equal(users.body.length, 1);
    assert.equal(users.body[0].isLocal, false);
    await page.close();
  });

  it('a temporary password must be changed at sign-in; the policy message is an alert; then the UI opens', async () => {
    const created = await call(server.url, 'POST', '/api/v1/users', { email: 'newbie@example.com' }, admin);
    assert.equal(created.status, 201);
    const page = await freshPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill('newbie@example.com');
    await page.getByLabel('Password', { exact: true }).fill(created.body.tempPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /at least 8 characters/);
    await screenshot(page, `password-change-policy-${kind}`);
    await page.getByLabel('New password', { exact: true }).fill('newbie-password-1');
    await page.getByLabel('Confirm new password').fill('newbie-password-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /do not match/);
    await page.getByLabel('New password', { exact: true }).fill('newbie-password-1');
    await page.getByLabel('Confirm new password').fill('newbie-password-1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    assert.match((await page.getByText('Signed in as').textContent()) ?? '', /newbie@example\.com/);
    // The new password works; the temporary one does not.
    const login = (password: string) =>
      call(server.url, 'POST', '/api/v1/token', {
        grantType: 'password',
        username: 'newbie@example.com',
        password,
      });
    assert.equal((await login('newbie-password-1')).status, 200);
    assert.equal((await login(created.body.tempPassword)).status, 401);
    await page.close();
  });
});
