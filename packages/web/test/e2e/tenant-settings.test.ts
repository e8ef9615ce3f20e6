import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminToken, call } from '../../../server/test/helpers/api.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../../../server/test/helpers/server-process.js';
import { ensureWebBuilt, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { assertNoSidewaysScroll, signIn } from '../helpers/ui.js';
import { createUserWithRole } from '../helpers/users.js';

const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-1', roleId: 8 };
const TTL_KEY = 'tokens.accessTokenLifetimeSeconds';

// Settings & Tools → Tenant settings, in Chromium against a real server process.
forEachStore('web UI: Tenant settings', (kind) => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let token: string;
  let app: { name: string; secret: string };
  const api = (method: string, path: string, body?: unknown) => call(server.url, method, path, body, token);
  /** A fresh token for the application, as a script would get it: `expiresIn` follows the setting. */
  const appTokenExpiresIn = async () => {
    const res = await fetch(`${server.url}/api/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grantType: 'app_token', AppId: app.name, AppSecret: app.secret }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { expiresIn: number }).expiresIn;
  };

  before(async () => {
    ensureWebBuilt();
    server = await startServerProcess(kind);
    token = await adminToken(server.url);
    await createUserWithRole(server.url, server.db, token, VIEWER);
    const created = await api('POST', '/api/v1/apps', { name: 'ttl-bot' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    app = created.body;
    browser = await launchBrowser(server.url);
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('shows every setting with its label, description and a typed input', async () => {
    await page.goto(`${server.url}/settings/tenant`);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Tenant settings', level: 1 }).waitFor();
    const ttl = page.getByRole('spinbutton', { name: 'Access token lifetime', exact: true });
    const before = await appTokenExpiresIn();
    // The default (from config) is shown in the largest whole unit.
    const unit = page.getByRole('combobox', { name: 'Access token lifetime unit' });
    const factor = Number(await unit.inputValue());
    assert.equal(Number(await ttl.inputValue()) * factor, before);
    await page.getByText('Lifetime of access tokens, in seconds').waitFor();
    for (const label of ['Refresh token lifetime', 'Lockout duration', 'Idle timeout'])
      await page.getByRole('spinbutton', { name: label, exact: true }).waitFor();
    assert.ok(await page.getByRole('spinbutton', { name: 'Minimum password length' }).isVisible());
    assert.ok(
      await page.getByRole('checkbox', { name: 'Redirect sign-in to the identity provider' }).isVisible(),
    );
    assert.ok(await page.getByRole('textbox', { name: 'Identity provider alias' }).isVisible());
    await screenshot(page, `tenant-settings-${kind}`);
  });

  it('changes the access-token lifetime; the next app_token has the new expiresIn', async () => {
    await page.getByRole('spinbutton', { name: 'Access token lifetime', exact: true }).fill('15');
    await page.getByRole('combobox', { name: 'Access token lifetime unit' }).selectOption('minutes');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(await appTokenExpiresIn(), 900);
    assert.equal((await api('GET', `/v1/k8s/setting/${TTL_KEY}`)).body, 900);
    await page.reload();
    const ttl = page.getByRole('spinbutton', { name: 'Access token lifetime', exact: true });
    await ttl.waitFor();
    assert.equal(await ttl.inputValue(), '15');
    assert.equal(await page.getByRole('combobox', { name: 'Access token lifetime unit' }).inputValue(), '60');
  });

  it("an invalid value shows the server's readable refusal and changes nothing", async () => {
    const ttl = page.getByRole('spinbutton', { name: 'Access token lifetime', exact: true });
    await ttl.fill('10');
    await page.getByRole('combobox', { name: 'Access token lifetime unit' }).selectOption('seconds');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert.match(text, /Access token lifetime: .*whole number from 60 to 86400 \(1 minute to 1 day\)/, text);
    assert.ok(!text.includes('{'), `no raw JSON: ${text}`);
    assert.equal(await ttl.getAttribute('aria-invalid'), 'true');
    assert.equal(await ttl.inputValue(), '10', 'the refused input stays for correcting');
    await screenshot(page, `tenant-settings-refused-${kind}`);
    assert.equal((await api('GET', `/v1/k8s/setting/${TTL_KEY}`)).body, 900);
    assert.equal(await appTokenExpiresIn(), 900);

    await ttl.fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await alert.filter({ hasText: 'Access token lifetime: enter a value.' }).waitFor();
  });

  it('saves security settings: the idle timeout with a unit, SSO redirect on', async () => {
    await page.getByRole('spinbutton', { name: 'Access token lifetime', exact: true }).fill('15');
    await page.getByRole('combobox', { name: 'Access token lifetime unit' }).selectOption('minutes');
    await page.getByRole('spinbutton', { name: 'Idle timeout', exact: true }).fill('2');
    await page.getByRole('combobox', { name: 'Idle timeout unit' }).selectOption('hours');
    await page.getByRole('textbox', { name: 'Identity provider alias' }).fill('Bad Alias');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert');
    await alert
      .filter({ hasText: /Auto-redirect to SSO — Identity provider alias: Expected string to match/ })
      .waitFor();
    assert.doesNotMatch((await alert.textContent()) ?? '', /Access token lifetime/);
    await page.getByRole('status').filter({ hasText: '1 setting saved.' }).waitFor();
    await page.getByRole('textbox', { name: 'Identity provider alias' }).fill('corp-oidc');
    await page.getByRole('checkbox', { name: 'Redirect sign-in to the identity provider' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(await alert.count(), 0);
    const security = (await api('GET', '/api/v1/security/settings')).body;
    assert.deepEqual(security.browserSessionTimeout, { idleTimeout: 120 });
    assert.deepEqual(security.autoRedirectSSO, { enabled: true, idpAlias: 'corp-oidc' });
    assert.equal(await appTokenExpiresIn(), 900, 'unchanged settings are not sent again');
  });

  it('fits a narrow window: nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 480, height: 800 });
    await page.reload();
    await page.getByRole('spinbutton', { name: 'Access token lifetime', exact: true }).waitFor();
    await assertNoSidewaysScroll(page);
    await screenshot(page, `tenant-settings-narrow-${kind}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a Viewer reads the values but gets no inputs and no Save', async () => {
    const viewer = await launchBrowser(server.url);
    try {
      const vpage = await viewer.newPage();
      await vpage.goto(`${server.url}/settings/tenant`);
      await signIn(vpage, VIEWER.email, VIEWER.password);
      await vpage.getByRole('heading', { name: 'Tenant settings', level: 1 }).waitFor();
      const value = (group: string) =>
        vpage.getByRole('group', { name: group, exact: true }).getByRole('definition').first();
      await value('Access token lifetime').waitFor();
      assert.equal(await value('Access token lifetime').textContent(), '15 minutes (900 seconds)');
      assert.equal(await value('Browser session idle timeout').textContent(), '2 hours (120 minutes)');
      await screenshot(vpage, `tenant-settings-viewer-${kind}`);
      assert.equal(await vpage.getByRole('button', { name: 'Save' }).count(), 0);
      for (const role of ['spinbutton', 'textbox', 'checkbox', 'combobox'] as const)
        assert.equal(await vpage.getByRole(role).count(), 0, `no ${role}`);
    } finally {
      await viewer.close();
    }
  });
});
