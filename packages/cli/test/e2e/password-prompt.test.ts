import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, it } from 'node:test';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../../../server/test/helpers/server-process.js';
import { CLI_BIN, cliHome, type CliHome } from '../helpers/cli.js';
import { startTmux } from '../helpers/tmux.js';

const EXISTING = `# my kubeconfig
apiVersion: v1
kind: Config
current-context: lab
contexts:
  - name: lab
    context: {cluster: lab, user: me}
clusters:
  - name: lab
    cluster: {server: 'https://lab.example.com'}
users:
  - name: me
    user: {token: keep-me}
`;

forEachStore('runai password prompt in a terminal', (kind) => {
  let server: ServerProcess;
  let home: CliHome;

  before(async () => {
    server = await startServerProcess(kind);
    home = await cliHome();
    assert.equal((await home.run(['config', 'set', '--url', server.url])).code, 0);
  });
  after(async () => {
    await home.dispose();
    await server.dispose();
  });

  it('does not echo the password, and logs in', async () => {
    const t = await startTmux(`${CLI_BIN} login user -u ${ADMIN_EMAIL}; echo EXIT=$?`, home.env);
    try {
      await t.waitFor(/Password: *$/m);
      await t.type(ADMIN_PASSWORD.slice(0, 5));
      const midway = await t.capture();
      assert.ok(!midway.includes(ADMIN_PASSWORD.slice(0, 5)), midway);
      // Two stray characters, erased with Backspace: the password sent is exactly the right one.
      await t.type('xx');
      await t.keys('BSpace', 'BSpace');
      await t.type(ADMIN_PASSWORD.slice(5));
      await t.keys('Enter');
      const pane = await t.waitFor(/EXIT=\d+/);
      assert.match(pane, /EXIT=0/, pane);
      assert.match(pane, /Logged in as admin@example\.com/);
      assert.ok(
        !pane.includes(ADMIN_PASSWORD.slice(0, 5)),
        `the password appeared on the terminal:\n${pane}`,
      );
      assert.match(await readFile(home.kubeconfig, 'utf8'), /id-token: eyJ/);
    } finally {
      await t.kill();
    }
  });

  it('Ctrl-C at the prompt exits 130 and leaves the kubeconfig untouched', async () => {
    await mkdir(dirname(home.kubeconfig), { recursive: true });
    await writeFile(home.kubeconfig, EXISTING);
    const before = await stat(home.kubeconfig);
    const t = await startTmux(`${CLI_BIN} login user -u ${ADMIN_EMAIL}; echo EXIT=$?`, home.env);
    try {
      await t.waitFor(/Password: *$/m);
      await t.type('half-typed');
      await t.keys('C-c');
      const pane = await t.waitFor(/EXIT=\d+/);
      assert.match(pane, /EXIT=130/, pane);
      assert.ok(!pane.includes('half-typed'), pane);
    } finally {
      await t.kill();
    }
    assert.equal(await readFile(home.kubeconfig, 'utf8'), EXISTING);
    assert.equal((await stat(home.kubeconfig)).mtimeMs, before.mtimeMs);
  });
});
