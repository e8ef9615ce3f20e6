import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { readEnv } from '../src/config/env.js';
import { runCli } from '../src/program.js';

async function run(args: string[], vars: Record<string, string>, tty: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'runai-program-'));
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  try {
    const env = readEnv({ HOME: dir, ...vars }, tty);
    const code = await runCli(args, env, { out, err, input: new PassThrough() });
    return { code, stdout, stderr, env };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('runai program', () => {
  it('colours errors on a terminal, and not with NO_COLOR or when piped', async () => {
    const colour = await run(['login', 'user', '-u', 'a@b.c', '-p', 'x'], {}, true);
    assert.equal(colour.code, 1);
    assert.match(colour.stderr, /\u001b\[31merror:\u001b\[39m no control plane URL/);
    for (const [vars, tty] of [
      [{ NO_COLOR: '1' }, true],
      [{}, false],
    ] as const) {
      const plain = await run(['login', 'user', '-u', 'a@b.c', '-p', 'x'], vars, tty);
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /^error: no control plane URL/);
      assert.doesNotMatch(plain.stderr, /\u001b\[/);
    }
  });

  it('reads its paths from the environment: RUNAI_CLI_CONFIG_PATH, the first KUBECONFIG entry, else HOME', () => {
    const env = readEnv(
      { HOME: '/home/r', KUBECONFIG: ':/a/one:/b/two', RUNAI_CLI_CONFIG_PATH: '/c.json' },
      false,
    );
    assert.equal(env.kubeconfigPath, '/a/one');
    assert.equal(env.configPath, '/c.json');
    const defaults = readEnv({ HOME: '/home/r' }, false);
    assert.equal(defaults.kubeconfigPath, '/home/r/.kube/config');
    assert.equal(defaults.configPath, '/home/r/.runai/config.json');
  });

  it('answers --help on every command with exit 0, and usage mistakes with exit 2', async () => {
    for (const args of [
      [],
      ['login'],
      ['login', 'user'],
      ['login', 'application'],
      ['config', 'set'],
      ['list', 'workloads'],
      ['list', 'projects'],
      ['describe'],
      ['delete'],
      ['suspend'],
      ['resume'],
      ['submit'],
      ['logout'],
      ['whoami'],
      ['auth', 'get-token'],
      ['kubeconfig', 'set'],
    ]) {
      const res = await run([...args, '--help'], {}, false);
      assert.equal(res.code, 0, `${args.join(' ')} --help: ${res.stderr}`);
      assert.match(res.stdout, /^Usage: runai/);
    }
    for (const args of [
      ['config', 'set', '--cluster', 'not-a-uuid'],
      ['config', 'set'],
      ['login', '--listen-port', 'x'],
      ['submit', '-p', 'a'],
      ['describe'],
    ]) {
      const res = await run(args, {}, false);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    }
  });
});
