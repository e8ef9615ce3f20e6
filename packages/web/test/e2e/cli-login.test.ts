import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../../../server/test/helpers/api.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../../../server/test/helpers/server-process.js';
import { launchBrowser, type Browser } from '../helpers/browser.js';

// The `runai` CLI's browser login in Chromium: after the sign-in form (and the forced change of a
// temporary password) the browser must reach the CLI's loopback redirect URI, another origin, which
// the pages' CSP `form-action` has to allow.
forEachStore('Chromium: CLI login to a loopback redirect URI', (kind) => {
  let server: ServerProcess;
  let browser: Browser;
  let callback: Server;
  let admin: string;
  const hits: URL[] = [];

  before(async () => {
    callback = createServer((req, res) => {
      const hit = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (hit.pathname === '/callback') hits.push(hit); // (not the browser's /favicon.ico)
      res.end('You may close this window.');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
    callback?.close();
  });

  it('a user on a temporary password changes it and the code reaches the CLI', async () => {
    const created = await call(server.url, 'POST', '/api/v1/users', { email: 'cli@example.com' }, admin);
    const port = (callback.address() as AddressInfo).port;
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(`${server.url}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: 'runai',
      redirect_uri: `http://127.0.0.1:${port}/callback`,
      response_type: 'code',
      scope: 'openid',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: 'cli-state',
    }).toString();
    const page = await browser.newPage();
    await page.goto(url.toString());
    await page.getByLabel('Email').fill('cli@example.com');
    await page.getByLabel('Password', { exact: true }).fill(created.body.tempPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('New password', { exact: true }).fill('cli-password-1');
    await page.getByLabel('Confirm new password').fill('cli-password-1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('You may close this window.').waitFor();
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.searchParams.get('state'), 'cli-state');
    const token = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'exchange_token',
      code: hits[0]!.searchParams.get('code'),
      redirectUri: `http://127.0.0.1:${port}/callback`,
      clientID: 'runai',
      codeVerifier: verifier,
    });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    await page.close();
  });
});
