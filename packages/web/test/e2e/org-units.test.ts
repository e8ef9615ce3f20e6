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

// Settings & Tools → Departments & projects, in Chromium against a real server process.
forEachStore('web UI: Departments & projects', (kind) => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let token: string;
  const api = (method: string, path: string, body?: unknown) => call(server.url, method, path, body, token);
  const byName = async (type: 'departments' | 'projects', name: string) =>
    (await api('GET', `/api/v1/org-unit/${type}?filterBy=name==${name}`)).body[type][0];

  before(async () => {
    ensureWebBuilt();
    server = await startServerProcess(kind);
    token = await adminToken(server.url);
    await createUserWithRole(server.url, server.db, token, VIEWER);
    browser = await launchBrowser(server.url);
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('without a cluster, New department says a cluster is needed instead of failing', async () => {
    await page.goto(`${server.url}/settings/org-units`);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Departments & projects', level: 1 }).waitFor();
    await page.getByText('No departments yet.').waitFor();
    await page.getByRole('button', { name: 'New department' }).click();
    const dialog = page.getByRole('dialog', { name: 'New department' });
    assert.match((await dialog.getByRole('alert').textContent()) ?? '', /no cluster yet/i);
    assert.equal(await dialog.getByRole('button', { name: 'Create' }).count(), 0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('creates a department and a project under it, sets a GPU quota, and the API has it', async () => {
    const cluster = await api('POST', '/api/v1/clusters', { name: 'gpu-east' });
    assert.equal(cluster.status, 201, JSON.stringify(cluster.body));
    await page.reload();
    await page.getByRole('button', { name: 'New department' }).click();
    const create = page.getByRole('dialog', { name: 'New department' });
    assert.equal(
      await create.getByLabel('Cluster').inputValue(),
      cluster.body.uuid,
      'the only cluster is chosen',
    );
    await create.getByLabel('Name').fill('Research');
    await create.getByRole('button', { name: 'Create' }).click();
    assert.match((await create.getByRole('alert').textContent()) ?? '', /^Name:/);
    await create.getByLabel('Name').fill('research');
    await create.getByLabel('Description').fill('Vision and language research');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'detached' });

    // The department's disclosure button: keyboard expands it and its (empty) project list shows.
    const toggle = page.getByRole('button', { name: 'research', exact: true });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.getByText('No projects in research yet.').waitFor();
    await page.keyboard.press('Space');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(!(await page.getByText('No projects in research yet.').isVisible()));

    await page.getByRole('button', { name: 'New project in research' }).click();
    const newProject = page.getByRole('dialog', { name: 'New project in research' });
    assert.match((await newProject.textContent()) ?? '', /Cluster: gpu-east/);
    await newProject.getByLabel('Name').fill('vision');
    await newProject.getByRole('button', { name: 'Create' }).click();
    const projects = page.getByRole('list', { name: 'Projects in research' });
    await projects.getByText('vision', { exact: true }).waitFor();
    assert.equal(
      await toggle.getAttribute('aria-expanded'),
      'true',
      'creating a project opens its department',
    );

    await page.getByRole('button', { name: 'Edit quotas of vision' }).click();
    const quotas = page.getByRole('dialog', { name: 'Quotas of vision' });
    const gpu = quotas.getByRole('group', { name: 'GPU' });
    await gpu.getByLabel('Deserved').fill('-5');
    await quotas.getByRole('button', { name: 'Save quotas' }).click();
    const refused = (await quotas.getByRole('alert').textContent()) ?? '';
    assert.match(refused, /^GPU deserved: must be >= -1/, refused);
    assert.ok(!refused.includes('{'), `no raw JSON: ${refused}`);
    assert.equal(await gpu.getByLabel('Deserved').getAttribute('aria-invalid'), 'true');
    await gpu.getByLabel('Deserved').fill('4');
    await gpu.getByLabel('Limit').fill('8');
    await quotas.getByRole('group', { name: 'Memory' }).getByLabel('Deserved').fill('64');
    await screenshot(page, `org-units-quotas-${kind}`);
    await quotas.getByRole('button', { name: 'Save quotas' }).click();
    await quotas.waitFor({ state: 'detached' });
    await projects.getByText('4 GPUs deserved, limit 8 GPUs').waitFor();

    const stored = await api('GET', `/api/v1/org-unit/projects/${(await byName('projects', 'vision')).id}`);
    assert.equal(stored.body.resources[0].gpu.deserved, 4);
    assert.equal(stored.body.resources[0].gpu.limit, 8);
    assert.deepEqual(stored.body.resources[0].memory, { deserved: 64, units: 'GB' });
    assert.equal(stored.body.totalResources.gpuQuota, 4);

    await page.getByRole('button', { name: 'Edit quotas of research' }).click();
    const deptQuotas = page.getByRole('dialog', { name: 'Quotas of research' });
    await deptQuotas.getByRole('group', { name: 'GPU' }).getByLabel('Deserved').fill('16');
    await deptQuotas.getByRole('group', { name: 'CPU' }).getByLabel('Over-quota weight').fill('2');
    await deptQuotas.getByRole('button', { name: 'Save quotas' }).click();
    await page.getByText('16 GPUs deserved').waitFor();
    const department = await byName('departments', 'research');
    assert.equal(department.resources[0].gpu.deserved, 16);
    assert.equal(department.resources[0].cpu.overQuotaWeight, 2);
    await screenshot(page, `org-units-${kind}`);
  });

  it('edits the description (names are fixed by the API)', async () => {
    await page.getByRole('button', { name: 'Edit details of vision' }).click();
    const details = page.getByRole('dialog', { name: 'Details of vision' });
    assert.equal(await details.getByLabel('Name').getAttribute('readonly'), '');
    await details.getByLabel('Description').fill('Image models');
    await details.getByRole('button', { name: 'Save' }).click();
    // (A controlled textarea's text is its value, so look for the text only once the dialog is gone.)
    await details.waitFor({ state: 'detached' });
    await page.getByRole('list', { name: 'Projects in research' }).getByText('Image models').waitFor();
    const project = await byName('projects', 'vision');
    assert.equal(project.description, 'Image models');
    assert.equal(project.resources[0].gpu.deserved, 4, 'the quotas are unchanged');
  });

  it("deleting a department that still has projects shows the server's refusal and deletes nothing", async () => {
    await page.getByRole('button', { name: 'Delete research' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete research?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    const alert = (await confirm.getByRole('alert').textContent()) ?? '';
    assert.match(alert, /still has projects/);
    assert.ok(!alert.includes('{'), `no raw JSON: ${alert}`);
    await screenshot(page, `org-units-delete-refused-${kind}`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.ok(await byName('departments', 'research'));
    assert.ok(await byName('projects', 'vision'));
    assert.ok(await page.getByRole('button', { name: 'research', exact: true }).isVisible());
  });

  it('fits a narrow window: nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 480, height: 800 });
    await page.reload();
    await page.getByRole('button', { name: 'research', exact: true }).click();
    await page.getByRole('button', { name: 'Edit quotas of vision' }).waitFor();
    await assertNoSidewaysScroll(page);
    await screenshot(page, `org-units-narrow-${kind}`);
    await page.getByRole('button', { name: 'Edit quotas of vision' }).click();
    await assertNoSidewaysScroll(page);
    await screenshot(page, `org-units-quotas-narrow-${kind}`);
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a Viewer sees the tree and quotas but no create, edit or delete controls', async () => {
    const viewer = await launchBrowser(server.url);
    try {
      const vpage = await viewer.newPage();
      await vpage.goto(`${server.url}/settings/org-units`);
      await signIn(vpage, VIEWER.email, VIEWER.password);
      await vpage.getByRole('button', { name: 'research', exact: true }).click();
      await vpage.getByText('4 GPUs deserved, limit 8 GPUs').waitFor();
      await screenshot(vpage, `org-units-viewer-${kind}`);
      assert.equal(await vpage.getByRole('button', { name: /New department|New project/ }).count(), 0);
      assert.equal(await vpage.getByRole('button', { name: /Edit quotas|Edit details|Delete/ }).count(), 0);
    } finally {
      await viewer.close();
    }
  });

  it('deletes the project, then its department, after confirmation', async () => {
    await page.getByRole('button', { name: 'Delete vision' }).click();
    await page
      .getByRole('dialog', { name: 'Delete vision?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText('No projects in research yet.').waitFor();
    await page.getByRole('button', { name: 'Delete research' }).click();
    await page
      .getByRole('dialog', { name: 'Delete research?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText('No departments yet.').waitFor();
    assert.equal(await byName('departments', 'research'), undefined);
  });

  it('pages departments from the server with Load more', async () => {
    const clusterId = (await api('GET', '/api/v1/clusters')).body[0].uuid;
    for (let i = 0; i < 52; i++) {
      const name = `team-${String(i).padStart(2, '0')}`;
      const res = await api('POST', '/api/v1/org-unit/departments', { name, clusterId });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await page.reload();
    const tree = page.getByRole('list', { name: 'Departments' });
    await tree.getByRole('button', { name: 'team-00', exact: true }).waitFor();
    assert.equal(await tree.locator(':scope > li').count(), 50, 'one page of 50');
    assert.equal(await page.getByRole('button', { name: 'team-51', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Load more departments' }).click();
    await page.getByRole('button', { name: 'team-51', exact: true }).waitFor();
    assert.equal(await tree.locator(':scope > li').count(), 52);
    assert.equal(await page.getByRole('button', { name: 'Load more departments' }).count(), 0);
  });
});
