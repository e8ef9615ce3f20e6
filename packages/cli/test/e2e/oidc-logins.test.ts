import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../../../server/test/helpers/server-process.js';
import { HttpBrowser } from '../helpers/browser.js';
import { cliHome, type CliHome } from '../helpers/cli.js';
import { startStubApiServer, type StubApiServer } from '../helpers/stub-apiserver.js';

const exec = promisify(execFile);

/** A JWT-shaped token that expired long ago (kubectl and the CLI read only `exp` before refreshing). */
function expiredJwt(): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part({ iss: 'expired', exp: 1_000_000_000 })}.c2ln`;
}

async function providerConfig(path: string): Promise<Record<string, string>> {
  const { stdout } = await exec('kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', path]);
  const view = JSON.parse(stdout);
  const context = view.contexts.find((c: any) => c.name === view['current-context']).context;
  return view.users.find((u: any) => u.name === context.user).user['auth-provider'].config;
}

async function setProvider(path: string, values: Record<string, string>): Promise<void> {
  let text = await readFile(path, 'utf8');
  for (const [k, v] of Object.entries(values))
    text = text.replace(new RegExp(`(\\n\\s+${k}: )\\S+`), `$1${v}`);
  await writeFile(path, text);
}

// The stores at once: the refresh test waits a minute for a real expiry, and the two waits overlap.
forEachStore(
  'runai browser, device and refresh flows',
  (kind) => {
    let server: ServerProcess;
    let api: StubApiServer;
    let home: CliHome;

    before(async () => {
      // Short-lived tokens (the smallest lifetime the server accepts) so that the refresh test sees a real expiry.
      server = await startServerProcess(kind, { TESSERA_ACCESS_TOKEN_TTL: '60' });
      api = await startStubApiServer(server.url);
      home = await cliHome();
      await mkdir(dirname(home.kubeconfig), { recursive: true });
      const ca = Buffer.from(api.caPem).toString('base64');
      await writeFile(
        home.kubeconfig,
        `apiVersion: v1\nkind: Config\nclusters:\n  - name: lab\n    cluster:\n      server: ${api.url}\n      certificate-authority-data: ${ca}\ncontexts:\n  - name: lab\n    context: {cluster: lab, user: me}\ncurrent-context: lab\nusers:\n  - name: me\n    user: {}\n`,
      );
      assert.equal((await home.run(['config', 'set', '--url', server.url])).code, 0);
    });
    after(async () => {
      await api.close();
      await home.dispose();
      await server.dispose();
    });

    it('browser login: the authorization URL, sign-in page and loopback redirect end logged in', async () => {
      const cli = home.start(['login', '--listen-port', '0']);
      const [url] = await cli.waitForStderr(/http:\/\/\S+\/oauth\/authorize\?\S+/);
      const authorization = new URL(url);
      assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(authorization.searchParams.get('client_id'), 'runai');
      const redirect = await new HttpBrowser(server.url).authorize(url, ADMIN_EMAIL, ADMIN_PASSWORD);
      assert.equal(redirect.hostname, '127.0.0.1');
      const landing = await fetch(redirect);
      assert.equal(landing.status, 200);
      const result = await cli.done;
      assert.equal(result.code, 0, result.stderr);
      const config = await providerConfig(home.kubeconfig);
      assert.equal(config['auth-flow'], 'browser');
      assert.ok(config['refresh-token']);
      assert.equal(
        JSON.parse(Buffer.from(config['id-token']!.split('.')[1]!, 'base64url').toString()).email,
        ADMIN_EMAIL,
      );
    });

    it('device login: approved on the device page, the polling CLI ends logged in', async () => {
      const cli = home.start(['login', '--remote-browser']);
      const [, userCode] = await cli.waitForStderr(/confirm the code ([A-Z]{4}-[A-Z]{4})/);
      const approved = await new HttpBrowser(server.url).approveDevice(
        userCode!,
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
      );
      assert.equal(approved.status, 200);
      const result = await cli.done;
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await providerConfig(home.kubeconfig))['auth-flow'], 'remote-browser');
    });

    it('kubectl refreshes an expired id-token through our issuer and writes it back; the CLI refreshes too', async () => {
      assert.equal((await home.run(['login', 'user', '-u', ADMIN_EMAIL, '-p', ADMIN_PASSWORD])).code, 0);
      const loggedIn = await providerConfig(home.kubeconfig);
      const exp = JSON.parse(Buffer.from(loggedIn['id-token']!.split('.')[1]!, 'base64url').toString())
        .exp as number;
      assert.ok(exp * 1000 - Date.now() <= 60_000, 'the id-token lives 60 s');
      // Let the id-token (and the CLI's access token, same lifetime) really expire.
      await sleep(exp * 1000 - Date.now() + 1_500);
      const got = await exec('kubectl', ['--kubeconfig', home.kubeconfig, 'get', '--raw', '/api']);
      assert.match(got.stdout, /APIVersions/);
      const refreshed = await providerConfig(home.kubeconfig);
      assert.notEqual(refreshed['refresh-token'], loggedIn['refresh-token']);
      assert.notEqual(refreshed['id-token'], loggedIn['id-token']);
      assert.equal(api.tokens.at(-1), refreshed['id-token']);
      // The CLI's own access token is expired: it refreshes with the token kubectl wrote back.
      const token = await home.run(['auth', 'get-token']);
      assert.equal(token.code, 0, token.stderr);
      const after = await providerConfig(home.kubeconfig);
      assert.notEqual(after['refresh-token'], refreshed['refresh-token']);
      assert.equal(after['access-token'], token.stdout.trim());
    });

    it('an expired or revoked refresh token asks for a new login (exit 3)', async () => {
      await setProvider(home.kubeconfig, {
        'access-token': expiredJwt(),
        'refresh-token': 'no-longer-valid',
      });
      const res = await home.run(['auth', 'get-token']);
      assert.equal(res.code, 3, res.stderr);
      assert.match(res.stderr, /session has expired or was revoked/);
      assert.match(res.stderr, /runai login/);
    });

    it('logout revokes the refresh token at the server', async () => {
      assert.equal((await home.run(['login', 'user', '-u', ADMIN_EMAIL, '-p', ADMIN_PASSWORD])).code, 0);
      const { 'refresh-token': refreshToken } = await providerConfig(home.kubeconfig);
      const out = await home.run(['logout']);
      assert.equal(out.code, 0, out.stderr);
      assert.doesNotMatch(out.stderr, /warning/);
      const reuse = await fetch(`${server.url}/api/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: 'runai',
          refresh_token: refreshToken!,
        }),
      });
      assert.equal(reuse.status, 400);
    });
  },
  { storesAtOnce: true },
);
