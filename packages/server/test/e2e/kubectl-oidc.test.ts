import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { parse as parseYaml } from 'yaml';
import { forEachStore } from '../helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';

const run = promisify(execFile);

/** A JWT-shaped ID token that expired long ago; kubectl reads only its `exp` before refreshing. */
function expiredIdToken(): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part({ iss: 'expired', exp: 1_000_000_000 })}.c2ln`;
}

// kubectl's oidc auth-provider (client-go) refreshes an expired id-token with the refresh token via
// our discovery document and token endpoint, then writes both new tokens back into the kubeconfig.
forEachStore('kubectl oidc auth-provider', (kind) => {
  let server: ServerProcess;
  let stub: Server;
  let stubPort = 0;
  const seen: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tessera-kubectl-'));

  before(async () => {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    stub = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        seen.push(req.headers.authorization ?? '');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-stub' }));
      },
    );
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    stubPort = (stub.address() as { port: number }).port;
    server = await startServerProcess(kind);
  });
  after(async () => {
    await server?.dispose();
    stub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const form of ['canonical', 'realm'] as const) {
    it(`refreshes through ${form} discovery and writes the new tokens back into the kubeconfig`, async () => {
      const issuer = form === 'canonical' ? server.url : `${server.url}/auth/realms/runai`;
      const login = await fetch(`${server.url}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grantType: 'password',
          clientID: 'runai',
          username: ADMIN_EMAIL,
          password: ADMIN_PASSWORD,
        }),
      });
      const { refreshToken } = (await login.json()) as { refreshToken: string };
      assert.ok(refreshToken);
      const file = join(dir, `kubeconfig-${form}`);
      const oldIdToken = expiredIdToken();
      writeFileSync(
        file,
        `apiVersion: v1
kind: Config
clusters:
- name: stub
  cluster:
    server: https://127.0.0.1:${stubPort}
    certificate-authority: ${join(dir, 'cert.pem')}
contexts:
- name: stub
  context: {cluster: stub, user: researcher}
current-context: stub
users:
- name: researcher
  user:
    auth-provider:
      name: oidc
      config:
        idp-issuer-url: ${issuer}
        client-id: runai
        id-token: ${oldIdToken}
        refresh-token: ${refreshToken}
`,
      );
      const seenBefore = seen.length;
      const { stdout } = await run('kubectl', ['--kubeconfig', file, 'get', '--raw', '/version'], {
        timeout: 30_000,
      });
      assert.match(stdout, /v1\.32\.0-stub/);

      const written = parseYaml(readFileSync(file, 'utf8')) as {
        users: { user: { 'auth-provider': { config: Record<string, string> } } }[];
      };
      const config = written.users[0]!.user['auth-provider'].config;
      assert.notEqual(config['id-token'], oldIdToken);
      assert.notEqual(config['refresh-token'], refreshToken);
      const { payload } = await jwtVerify(
        config['id-token']!,
        createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)),
        {
          issuer,
          audience: 'runai',
          algorithms: ['ES256'],
        },
      );
      assert.equal(payload.email, ADMIN_EMAIL);
      assert.ok(seen.slice(seenBefore).every((h) => h === `Bearer ${config['id-token']}`));
      assert.ok(decodeJwt(config['id-token']!).exp! * 1000 > Date.now());

      // The refresh token kubectl used has been rotated: presenting it again is refused.
      const reuse = await fetch(`${server.url}/api/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: 'runai',
          refresh_token: refreshToken,
        }),
      });
      assert.equal(reuse.status, 400);
    });
  }
});
