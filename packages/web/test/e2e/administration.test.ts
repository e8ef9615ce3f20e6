import assert from 'node:assert/strict';
import { after, before, it, type TestContext } from 'node:test';
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

// Settings & Tools → Users and Audit log, in Chromium against a real server.
forEachStore('web UI: Users and Audit log', (kind) => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let missing: string | undefined;
  const needs = (t: TestContext) => {
    if (missing) t.skip(missing);
    return missing !== undefined;
  };

  before(async () => {
    ensureWebBuilt();
    server = await startServerProcess(kind);
    if ((await fetch(`${server.url}/oauth/sign-in`)).status !== 200)
      missing = 'needs the OAuth sign-in page (issue #7)';
    else if (
      (await call(server.url, 'GET', '/api/v1/users', undefined, await adminToken(server.url))).status !== 200
    )
      missing = 'needs the Users and Audit log API (issue #3)';
    browser = await launchBrowser(server.url);
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('creates a user and shows the temporary password once; resets it; deletes the user', async (t) => {
    if (needs(t)) return;
    await page.goto(`${server.url}/settings/users`);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('dialog', { name: 'New user' });
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Create' }).click();
    assert.match((await form.getByRole('alert').textContent()) ?? '', /^Email:/);
    await form.getByLabel('Email').fill('alice@example.com');
    await form.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Temporary password of alice@example.com' });
    const first = await shown.getByLabel('Temporary password').inputValue();
    assert.ok(first.length >= 12);
    await screenshot(page, `users-temp-password-${kind}`);
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('rowheader', { name: 'alice@example.com' }).waitFor();
    assert.ok(!(await page.content()).includes(first), 'the temporary password is not shown again');
    await screenshot(page, `users-${kind}`);

    await page.getByRole('button', { name: 'Reset password of alice@example.com' }).click();
    await page
      .getByRole('dialog', { name: /Reset the password/ })
      .getByRole('button', { name: 'Reset password' })
      .click();
    const again = page.getByRole('dialog', { name: 'Temporary password of alice@example.com' });
    const second = await again.getByLabel('Temporary password').inputValue();
    assert.notEqual(second, first);
    await again.getByRole('button', { name: 'Done' }).click();

    // A second user with the same email: the API's refusal appears as a readable message.
    await page.getByRole('button', { name: 'New user' }).click();
    const dup = page.getByRole('dialog', { name: 'New user' });
    await dup.getByLabel('Email').fill('alice@example.com');
    await dup.getByRole('button', { name: 'Create' }).click();
    const alert = (await dup.getByRole('alert').textContent()) ?? '';
    assert.ok(!alert.includes('{'), `no raw JSON: ${alert}`);
    await dup.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Delete alice@example.com' }).click();
    await page
      .getByRole('dialog', { name: 'Delete alice@example.com?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByRole('rowheader', { name: 'alice@example.com' }).waitFor({ state: 'detached' });
  });

  it('the audit log lists those events, filters by action and subject, and pages', async (t) => {
    if (needs(t)) return;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await screenshot(page, `audit-log-${kind}`);
    await page.getByLabel('Action').fill('reset');
    await page.getByLabel('Subject').fill(ADMIN_EMAIL);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).getByText('1–1 of 1').waitFor();
    const rows = page.getByRole('row');
    assert.equal(await rows.count(), 2, 'header and one event');
    assert.match((await rows.nth(1).textContent()) ?? '', /reset-password/);
    assert.ok(await page.getByRole('button', { name: 'Next' }).isDisabled());
    await page.getByLabel('Subject').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No events').waitFor();
  });
  it('creates an access rule once however it is submitted while it runs, and removes it by its named button', async (t) => {
    if (needs(t)) return;
    const rulesOf = async (subjectId: string) => {
      const listed = await call(
        server.url,
        'GET',
        '/api/v1/authorization/access-rules',
        undefined,
        await adminToken(server.url),
      );
      return (listed.body as { accessRules: { subjectId: string }[] }).accessRules.filter(
        (r) => r.subjectId === subjectId,
      );
    };
    // The create request is held until the form has been submitted a second time.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let posts = 0;
    await page.route('**/api/v1/authorization/access-rules', async (route) => {
      if (route.request().method() === 'POST') {
        posts += 1;
        await held;
      }
      await route.continue();
    });
    try {
      await page.goto(`${server.url}/settings/access-rules`);
      await page.getByRole('heading', { name: 'Access rules' }).waitFor();
      await page.getByRole('button', { name: 'New access rule' }).click();
      const form = page.getByRole('dialog', { name: 'New access rule' });
      await form.getByLabel('Subject type').selectOption('group');
      await form.getByLabel('Subject', { exact: true }).fill('ops-team');
      // The roles load after the dialog opens; Create before then asks for a role and sends nothing.
      await form
        .locator('label', { hasText: /^Role/ })
        .locator('option')
        .first()
        .waitFor({ state: 'attached' });
      await form.getByRole('button', { name: 'Create' }).click();
      await form.locator('button[type=submit][disabled]').waitFor();
      await form.getByLabel('Subject', { exact: true }).press('Enter');
      release();
      await form.waitFor({ state: 'detached' });
      await page.getByRole('rowheader', { name: 'ops-team' }).waitFor();
      assert.equal(posts, 1, 'the form was sent once');
      assert.equal((await rulesOf('ops-team')).length, 1);
    } finally {
      release();
      await page.unroute('**/api/v1/authorization/access-rules');
    }
    await page.getByRole('button', { name: /^Remove .+ of ops-team on tenant / }).click();
    await page
      .getByRole('dialog', { name: 'Remove this access rule?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByRole('rowheader', { name: 'ops-team' }).waitFor({ state: 'detached' });
    assert.deepEqual(await rulesOf('ops-team'), []);
  });
});
