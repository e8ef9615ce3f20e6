import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, it, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { adminToken, call } from '../../../server/test/helpers/api.js';
import { insertProject } from '../../../server/test/helpers/direct-store.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import { fillSeedSnippet } from '../../../server/test/helpers/seed.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../../../server/test/helpers/server-process.js';
import { ensureWebBuilt, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { copySecret, signIn } from '../helpers/ui.js';
import { createUserWithRole } from '../helpers/users.js';

const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-1', roleId: 8 };
const NEEDS_OAUTH = 'needs the OAuth authorization endpoint and sign-in page (issue #7)';

/** The seed's curl command with this name and secret; returns the parsed answer or the HTTP status. */
function seedCurl(url: string, name: string, secret: string): { accessToken?: string; status: number } {
  const script = `${fillSeedSnippet('cURL', url, name, secret).replace(/^curl /, 'curl -s -w "\\n%{http_code}" ')}`;
  const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
  const status = Number(out.pop());
  const body = JSON.parse(out.join('\n') || '{}') as { accessToken?: string };
  return { ...body, status };
}

// Issue #6's "Done when", in a real browser (Debian's Chromium) against a real server process.
forEachStore('web UI: Settings & Tools → Applications', (kind) => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let oauth = false;
  let oldSecret = '';
  const needOAuth = (t: TestContext) => {
    if (!oauth) t.skip(NEEDS_OAUTH);
    return !oauth;
  };

  before(async () => {
    ensureWebBuilt();
    server = await startServerProcess(kind);
    oauth = (await fetch(`${server.url}/oauth/sign-in`)).status === 200;
    await insertProject(server.db, 'team-a');
    await createUserWithRole(server.url, server.db, await adminToken(server.url), VIEWER);
    browser = await launchBrowser(server.url);
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('a wrong password shows an error message (role alert) on the sign-in page', async (t) => {
    if (needOAuth(t)) return;
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').waitFor();
    await screenshot(page, `sign-in-${kind}`);
    await signIn(page, ADMIN_EMAIL, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /invalid email or password/i);
    await screenshot(page, `sign-in-error-${kind}`);
  });

  it('signs in as the admin and finds Settings & Tools → Applications', async (t) => {
    if (needOAuth(t)) return;
    await page.goto(`${server.url}/`);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Settings & Tools' }).waitFor();
    await screenshot(page, `home-${kind}`);
    await nav.getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/settings/applications');
    await page.getByRole('button', { name: 'New application' }).waitFor();
    await screenshot(page, `applications-empty-${kind}`);
  });

  it("creates ci-bot with the Researcher role on a project; the copied name and secret work in the seed's curl", async (t) => {
    if (needOAuth(t)) return;
    await page.getByRole('button', { name: 'New application' }).click();
    const dialog = page.getByRole('dialog', { name: 'New application' });
    await dialog.getByLabel('Name').fill('ci-bot');
    for (const role of ['Researcher', 'Editor', 'Administrator']) {
      assert.ok(await dialog.getByRole('checkbox', { name: role, exact: true }).isVisible(), role);
    }
    await dialog.getByRole('checkbox', { name: 'Researcher', exact: true }).check();
    const projectBox = dialog.getByRole('checkbox', { name: 'team-a', exact: true });
    const projectsField = dialog.getByRole('textbox', { name: 'Projects' });
    await projectBox.or(projectsField).first().waitFor();
    if (await projectBox.count()) await projectBox.check();
    else await projectsField.fill('team-a'); // a server without the org-unit API (issue #3)
    await screenshot(page, `applications-new-${kind}`);
    await dialog.getByRole('button', { name: 'Create' }).click();

    const secretDialog = page.getByRole('dialog', { name: 'Secret key of ci-bot' });
    await secretDialog.waitFor();
    assert.match((await secretDialog.textContent()) ?? '', /only time it is shown/);
    const name = await secretDialog.getByLabel('Application name').inputValue();
    assert.equal(name, 'ci-bot');
    const secret = await copySecret(page);
    await screenshot(page, `applications-secret-${kind}`);
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    await secretDialog.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(secret), 'the secret is gone once the dialog closes');
    await page.getByRole('rowheader', { name: 'ci-bot' }).waitFor();
    await screenshot(page, `applications-${kind}`);

    const token = seedCurl(server.url, name, secret);
    assert.equal(token.status, 200);
    assert.ok(token.accessToken);
    const apps = await call(server.url, 'GET', '/api/v1/apps', undefined, token.accessToken);
    assert.equal(apps.status, 403, 'a Researcher application may not administer applications');
    oldSecret = secret;
  });

  it('regenerates the secret after confirmation; the old one fails and the new one works', async (t) => {
    if (needOAuth(t)) return;
    assert.ok(oldSecret, 'the previous test created ci-bot');
    await page.getByRole('button', { name: 'Regenerate secret of ci-bot' }).click();
    const confirm = page.getByRole('dialog', { name: 'Regenerate the secret of ci-bot?' });
    await screenshot(page, `applications-regenerate-${kind}`);
    await confirm.getByRole('button', { name: 'Regenerate' }).click();
    await page.getByRole('dialog', { name: 'Secret key of ci-bot' }).waitFor();
    const fresh = await copySecret(page);
    assert.notEqual(fresh, oldSecret);
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(seedCurl(server.url, 'ci-bot', oldSecret).status, 401);
    assert.equal(seedCurl(server.url, 'ci-bot', fresh).status, 200);
  });

  it('disables and enables the application from its row', async (t) => {
    if (needOAuth(t)) return;
    await page.getByRole('button', { name: 'Disable ci-bot' }).click();
    await page.getByRole('button', { name: 'Enable ci-bot' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'ci-bot' }) });
    assert.match((await row.textContent()) ?? '', /No/);
    await page.getByRole('button', { name: 'Enable ci-bot' }).click();
    await page.getByRole('button', { name: 'Disable ci-bot' }).waitFor();
  });

  it('edits the roles and projects of the application (Application | Projects)', async (t) => {
    if (needOAuth(t)) return;
    await page.getByRole('button', { name: 'Roles and projects of ci-bot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Access of ci-bot' });
    await dialog.getByRole('listitem').filter({ hasText: 'team-a' }).waitFor();
    await dialog.getByLabel('Role').selectOption('Editor');
    await dialog.getByRole('button', { name: 'Add role' }).click();
    const removeEditor = dialog.getByRole('button', { name: /^Remove Editor on / });
    await removeEditor.waitFor();
    await screenshot(page, `applications-access-${kind}`);
    const admin = await adminToken(server.url);
    const apps = await call(server.url, 'GET', '/api/v1/apps', undefined, admin);
    const id = apps.body.find((a: { name: string }) => a.name === 'ci-bot').id;
    const roleNames = async () =>
      (
        await call(
          server.url,
          'GET',
          `/api/v1/authorization/access-rules?subjectType=app&subjectIds=${id}`,
          undefined,
          admin,
        )
      ).body.accessRules.map((r: { roleName: string }) => r.roleName);
    assert.ok((await roleNames()).includes('Editor'));
    await removeEditor.click();
    await removeEditor.waitFor({ state: 'detached' });
    assert.ok(!(await roleNames()).includes('Editor'));
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('works on a narrow window: the navigation and the list stay usable', async (t) => {
    if (needOAuth(t)) return;
    await page.setViewportSize({ width: 390, height: 800 });
    await page.reload();
    await page.getByRole('rowheader', { name: 'ci-bot' }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'Applications' }).isVisible());
    assert.ok(await page.getByRole('button', { name: 'New application' }).isVisible());
    await screenshot(page, `applications-narrow-${kind}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('an expired session says so in an alert and offers to sign in again', async (t) => {
    if (needOAuth(t)) return;
    // The server no longer accepts this tab's access token (as after a revocation).
    await page.evaluate(`{
      const tokens = JSON.parse(sessionStorage.getItem('tessera.tokens') ?? '{}');
      sessionStorage.setItem('tessera.tokens', JSON.stringify({ ...tokens, accessToken: 'x.e30.x' }));
    }`);
    await page.reload();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /session has expired/);
    await screenshot(page, `session-expired-${kind}`);
    await page.getByRole('button', { name: 'Sign in again' }).click();
    // The browser session at the server is still alive, so this comes straight back signed in.
    await page.getByRole('button', { name: 'Settings & Tools' }).waitFor();
  });

  it('signs out: the server session ends and the next visit asks for a password', async (t) => {
    if (needOAuth(t)) return;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await page.goto(`${server.url}/settings/applications`);
    await page.getByLabel('Password').waitFor();
    assert.match(new URL(page.url()).pathname, /^\/oauth\/sign-in/);
  });

  it('a Viewer sees the applications but no create, regenerate, disable or delete buttons', async (t) => {
    if (needOAuth(t)) return;
    const viewer = await launchBrowser(server.url);
    try {
      const vpage = await viewer.newPage();
      await vpage.goto(`${server.url}/settings/applications`);
      await signIn(vpage, VIEWER.email, VIEWER.password);
      await vpage.getByRole('rowheader', { name: 'ci-bot' }).waitFor();
      await screenshot(vpage, `applications-viewer-${kind}`);
      assert.equal(await vpage.getByRole('button', { name: 'New application' }).count(), 0);
      assert.equal(await vpage.getByRole('button', { name: /Regenerate|Disable|Enable|Delete/ }).count(), 0);
      const settings = vpage.getByRole('navigation', { name: 'Main' });
      assert.ok(await settings.getByRole('link', { name: 'Applications' }).isVisible());
      assert.equal(
        await settings.getByRole('link', { name: 'Audit log' }).count(),
        0,
        'a Viewer may not read the audit log',
      );
      // Access rules are readable to a Viewer, but not creatable.
      await settings.getByRole('link', { name: 'Access rules' }).click();
      await vpage.getByRole('heading', { name: 'Access rules' }).waitFor();
      assert.equal(await vpage.getByRole('button', { name: 'New access rule' }).count(), 0);
    } finally {
      await viewer.close();
    }
  });

  it('deletes the application after confirmation', async (t) => {
    if (needOAuth(t)) return;
    await page.goto(`${server.url}/settings/applications`);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Delete ci-bot' }).click();
    await page
      .getByRole('dialog', { name: 'Delete ci-bot?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText('No applications yet.').waitFor();
    const token = adminToken(server.url);
    assert.deepEqual((await call(server.url, 'GET', '/api/v1/apps', undefined, await token)).body, []);
  });
});
