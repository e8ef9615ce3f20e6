import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kubeconfig } from '../../src/kubeconfig/kubeconfig.js';

const BEFORE = `# Team kubeconfig — keep this comment
apiVersion: v1
kind: Config
clusters:
  - name: prod # production, do not touch
    cluster:
      server: https://prod.example.com:6443
  - name: dev
    cluster:
      server: https://dev.example.com:6443
contexts:
  # the prod context first
  - name: prod
    context:
      cluster: prod
      user: prod-admin
  - name: dev
    context:
      cluster: dev
      user: researcher
current-context: dev
users:
  - name: prod-admin
    user:
      client-certificate-data: Y2VydA==
      client-key-data: a2V5
  - name: researcher
    user:
      token: old-static-token
preferences: {} # trailing comment
`;

const AFTER = `# Team kubeconfig — keep this comment
apiVersion: v1
kind: Config
clusters:
  - name: prod # production, do not touch
    cluster:
      server: https://prod.example.com:6443
  - name: dev
    cluster:
      server: https://dev.example.com:6443
contexts:
  # the prod context first
  - name: prod
    context:
      cluster: prod
      user: prod-admin
  - name: dev
    context:
      cluster: dev
      user: researcher
current-context: dev
users:
  - name: prod-admin
    user:
      client-certificate-data: Y2VydA==
      client-key-data: a2V5
  - name: researcher
    user:
      auth-provider:
        name: oidc
        config:
          client-id: runai
          idp-issuer-url: https://tessera.example.com
          id-token: id.token.value
          refresh-token: refresh-value
          auth-flow: password
preferences: {} # trailing comment
`;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeconfig-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const values = {
  'client-id': 'runai',
  'idp-issuer-url': 'https://tessera.example.com',
  'id-token': 'id.token.value',
  'refresh-token': 'refresh-value',
  'auth-flow': 'password',
};

function kubectlView(path: string): any {
  return JSON.parse(
    execFileSync('kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', path], {
      encoding: 'utf8',
    }),
  );
}

describe('kubeconfig', () => {
  it('updates only the current context’s user: other contexts, comments and order stay byte for byte', async () => {
    const path = join(dir, 'merge');
    await writeFile(path, BEFORE, { mode: 0o644 });
    const kc = await Kubeconfig.load(path);
    kc.setAuthProvider(values);
    await kc.save();
    assert.equal(await readFile(path, 'utf8'), AFTER);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
    const view = kubectlView(path);
    const user = view.users.find((u: any) => u.name === 'researcher').user;
    assert.deepEqual(user['auth-provider'], { name: 'oidc', config: values });
    assert.equal(user.token, undefined);
    assert.equal(view.contexts.length, 2);
  });

  it('updates an existing oidc entry in place and removes keys set to undefined', async () => {
    const path = join(dir, 'update');
    await writeFile(path, AFTER);
    const kc = await Kubeconfig.load(path);
    kc.setAuthProvider({ 'id-token': 'new.id.token', 'refresh-token': undefined });
    await kc.save();
    const expected = AFTER.replace('id.token.value', 'new.id.token').replace(
      '          refresh-token: refresh-value\n',
      '',
    );
    assert.equal(await readFile(path, 'utf8'), expected);
    assert.equal((await Kubeconfig.load(path)).authProvider()?.['id-token'], 'new.id.token');
  });

  it('creates cluster, context and user named runai in a missing file, and kubectl reads them', async () => {
    const path = join(dir, 'nested', 'config');
    const kc = await Kubeconfig.load(path);
    kc.setAuthProvider(values, 'https://cluster.example.com');
    await kc.save();
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const view = kubectlView(path);
    assert.equal(view['current-context'], 'runai');
    assert.deepEqual(view.contexts, [{ name: 'runai', context: { cluster: 'runai', user: 'runai' } }]);
    assert.equal(view.clusters[0].cluster.server, 'https://cluster.example.com');
    assert.deepEqual(view.users[0].user['auth-provider'].config, values);
  });

  it('adds a missing user entry for a current context that names one', async () => {
    const path = join(dir, 'missing-user');
    await writeFile(
      path,
      'apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n  - name: c\n    context:\n      cluster: k\n      user: u\n',
    );
    const kc = await Kubeconfig.load(path);
    kc.setAuthProvider(values);
    await kc.save();
    const view = kubectlView(path);
    assert.equal(view.users[0].name, 'u');
    assert.equal(view.clusters[0].name, 'k');
    assert.equal(view.users[0].user['auth-provider'].config['id-token'], 'id.token.value');
  });

  it('refuses a file that is not YAML with a readable error and leaves it alone', async () => {
    const path = join(dir, 'broken');
    await writeFile(path, 'clusters: [unclosed\n');
    await assert.rejects(Kubeconfig.load(path), /not valid YAML/);
    assert.equal(await readFile(path, 'utf8'), 'clusters: [unclosed\n');
  });
});
