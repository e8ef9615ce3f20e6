import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browser, field } from '../helpers/browser.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { adminToken, call } from '../helpers/api.js';
import { uiAuthorizeUrl } from '../helpers/sso.js';

// The forced password change at sign-in, at the HTTP level (the Chromium test is in packages/web).
forEachStore('forced password change at sign-in', (kind) => {
  let server: ServerProcess;
  let admin: string;

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  it('a user on a temporary password gets no session until the change form is done', async () => {
    const created = await call(server.url, 'POST', '/api/v1/users', { email: 'temp@example.com' }, admin);
    const browser = new Browser(server.url);
    const { url } = await uiAuthorizeUrl(server.url);
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
