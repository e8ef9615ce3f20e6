import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../../../server/test/helpers/api.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../../../server/test/helpers/server-process.js';
import { cliHome, type CliHome } from '../helpers/cli.js';
import { startStubApiServer, type StubApiServer } from '../helpers/stub-apiserver.js';

const exec = promisify(execFile);

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function kubeconfigFor(api: StubApiServer): string {
  const ca = Buffer.from(api.caPem).toString('base64');
  return `apiVersion: v1
kind: Config
# a context the CLI must not touch
clusters:
  - name: other
    cluster:
      server: https://other.example.com
  - name: lab
    cluster:
      server: ${api.url}
      certificate-authority-data: ${ca}
contexts:
  - name: other
    context: {cluster: other, user: other-user}
  - name: lab
    context: {cluster: lab, user: me}
current-context: lab
users:
  - name: other-user
    user: {token: untouched}
  - name: me
    user: {}
`;
}

forEachStore('runai login user / application', (kind) => {
  let server: ServerProcess;
  let api: StubApiServer;
  let home: CliHome;

  before(async () => {
    server = await startServerProcess(kind);
    api = await startStubApiServer(server.url);
    home = await cliHome();
    await mkdir(dirname(home.kubeconfig), { recursive: true });
    await writeFile(home.kubeconfig, kubeconfigFor(api));
  });
  after(async () => {
    await api.close();
    await home.dispose();
    await server.dispose();
  });

  it('refuses a wrong password with a clear message and exit 1, leaving the kubeconfig alone', async () => {
    assert.equal((await home.run(['config', 'set', '--url', server.url])).code, 0);
    const before = await readFile(home.kubeconfig, 'utf8');
    const res = await home.run(['login', 'user', '-u', ADMIN_EMAIL, '-p', 'not-the-password']);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /login failed: wrong email or password/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace without --debug');
    assert.doesNotMatch(res.stderr + res.stdout, /not-the-password/);
    assert.equal(await readFile(home.kubeconfig, 'utf8'), before);
  });

  it('writes the oidc auth-provider that kubectl parses, and kubectl sends the id-token to the API server', async () => {
    const res = await home.run(['login', 'user', '-u', ADMIN_EMAIL], { input: `${ADMIN_PASSWORD}\n` });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /Logged in as admin@example.com/);
    assert.equal((await stat(home.kubeconfig)).mode & 0o777, 0o600);
    const { stdout } = await exec('kubectl', [
      'config',
      'view',
      '--raw',
      '-o',
      'json',
      '--kubeconfig',
      home.kubeconfig,
    ]);
    const view = JSON.parse(stdout);
    const me = view.users.find((u: any) => u.name === 'me').user;
    const config = me['auth-provider'].config;
    assert.equal(me['auth-provider'].name, 'oidc');
    assert.equal(config['client-id'], 'runai');
    assert.equal(config['idp-issuer-url'], server.url);
    assert.equal(config['auth-flow'], 'password');
    assert.match(config['id-token'], /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(view.users.find((u: any) => u.name === 'other-user').user, { token: 'untouched' });
    assert.match(await readFile(home.kubeconfig, 'utf8'), /# a context the CLI must not touch/);

    const got = await exec('kubectl', ['--kubeconfig', home.kubeconfig, 'get', '--raw', '/api']);
    assert.match(got.stdout, /APIVersions/);
    assert.equal(api.tokens.at(-1), config['id-token']);
  });

  it('whoami and auth get-token read the login; the token works on the control plane', async () => {
    const who = await home.run(['whoami', '--json']);
    assert.equal(who.code, 0, who.stderr);
    assert.equal(JSON.parse(who.stdout).email, ADMIN_EMAIL);
    const token = (await home.run(['auth', 'get-token'])).stdout.trim();
    assert.equal(
      (await call(server.url, 'GET', '/api/v1/authorization/roles', undefined, token)).status,
      200,
    );
    const usage = await home.run(['auth', 'get-token', '-o', 'yaml']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--output: must be "plaintext" or "kubeconfig"/);
  });

  it('logout removes the tokens; then commands that need a login exit 3 and say what to run', async () => {
    const out = await home.run(['logout']);
    assert.equal(out.code, 0, out.stderr);
    const config = JSON.parse(
      (await exec('kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', home.kubeconfig]))
        .stdout,
    ).users.find((u: any) => u.name === 'me').user['auth-provider'].config;
    assert.equal(config['id-token'], undefined);
    assert.equal(config['access-token'], undefined);
    assert.equal(config['client-id'], 'runai');
    for (const args of [['whoami'], ['auth', 'get-token'], ['list', 'workloads']]) {
      const res = await home.run(args);
      assert.equal(res.code, 3, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, /runai login/);
    }
  });

  it('login application (--save) stores a token for the app and renews it from the saved secret', async () => {
    const admin = await adminToken(server.url);
    const app = await call(server.url, 'POST', '/api/v1/apps', { name: 'cli-bot', roles: ['editor'] }, admin);
    assert.equal(app.status, 201, JSON.stringify(app.body));
    const wrong = await home.run(['login', 'application', '--name', 'cli-bot', '--secret', 'nope']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong application name or secret/);
    const res = await home.run([
      'login',
      'application',
      '--name',
      'cli-bot',
      '--secret',
      app.body.secret,
      '--save',
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await stat(home.config)).mode & 0o777, 0o600);
    const who = JSON.parse((await home.run(['whoami', '--json'])).stdout);
    assert.equal(who.subjectType, 'app');
    // Drop the stored tokens: the saved secret gets a new one without a prompt.
    const text = await readFile(home.kubeconfig, 'utf8');
    await writeFile(home.kubeconfig, text.replace(/(access-token|id-token): \S+/g, '$1: expired'));
    const token = await home.run(['auth', 'get-token']);
    assert.equal(token.code, 0, token.stderr);
    assert.equal(
      (await call(server.url, 'GET', '/api/v1/authorization/roles', undefined, token.stdout.trim())).status,
      200,
    );
  });

  it('an unreachable control plane is a clear error with exit 1; usage errors exit 2; --debug shows the stack', async () => {
    const none = { RUNAI_CLI_CONFIG_PATH: `${home.dir}/none.json`, KUBECONFIG: `${home.dir}/none.yaml` };
    const res = await home.run(['login', 'user', '-u', 'a@b.c', '-p', 'x'], { env: none });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /no control plane URL/);
    // Without a CLI config the URL comes from the kubeconfig user's idp-issuer-url.
    const fromKubeconfig = await home.run(['whoami', '--json'], {
      env: { RUNAI_CLI_CONFIG_PATH: `${home.dir}/none.json` },
    });
    assert.equal(fromKubeconfig.code, 0, fromKubeconfig.stderr);
    const port = await closedPort();
    await home.run(['config', 'set', '--url', `http://127.0.0.1:${port}`]);
    const down = await home.run(['login', 'user', '-u', 'a@b.c', '-p', 'x']);
    assert.equal(down.code, 1);
    assert.ok(down.stderr.includes(`cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`), down.stderr);
    assert.doesNotMatch(down.stderr, /\n\s+at /);
    const debug = await home.run(['--debug', 'login', 'user', '-u', 'a@b.c', '-p', 'x']);
    assert.match(debug.stderr, /\n\s+at /);
    const usage = await home.run(['login', 'user']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /required option '-u, --username <email>'/);
    assert.equal((await home.run(['frobnicate'])).code, 2);
    const help = await home.run(['submit', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--project <project>/);
    await home.run(['config', 'set', '--url', server.url]);
  });

  it('kubeconfig set points the current context at the configured cluster, leaving the rest', async () => {
    assert.equal(
      (await home.run(['config', 'set', '--cluster-url', 'https://cluster.example.com:8443'])).code,
      0,
    );
    const res = await home.run(['kubeconfig', 'set']);
    assert.equal(res.code, 0, res.stderr);
    const view = JSON.parse(
      (await exec('kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', home.kubeconfig]))
        .stdout,
    );
    assert.equal(
      view.clusters.find((c: any) => c.name === 'lab').cluster.server,
      'https://cluster.example.com:8443',
    );
    assert.equal(
      view.clusters.find((c: any) => c.name === 'other').cluster.server,
      'https://other.example.com',
    );
    assert.ok(view.clusters.find((c: any) => c.name === 'lab').cluster['certificate-authority-data']);
  });
});
