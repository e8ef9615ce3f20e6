import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { cliHome, REPO_ROOT, runProcess } from '../helpers/cli.js';

it('`npx runai` from the repository root runs the CLI (workspace bin linked by npm ci)', async () => {
  const home = await cliHome();
  try {
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8'));
    const res = await runProcess(['--no-install', 'runai', '--version'], home.env, undefined, 'npx');
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), version);
    const help = await runProcess(['--no-install', 'runai', 'login', '--help'], home.env, undefined, 'npx');
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--remote-browser/);
    assert.match(help.stdout, /user \[options\]/);
    const usage = await runProcess(['--no-install', 'runai', 'list', 'nothing'], home.env, undefined, 'npx');
    assert.equal(usage.code, 2);
  } finally {
    await home.dispose();
  }
});
