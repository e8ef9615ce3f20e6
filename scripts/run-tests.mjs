#!/usr/bin/env node
// Runs every *.test.ts under packages/*/test (and bench/test) with node:test through tsx, over an
// explicit file list: Node 20's `node --test` neither expands globs nor picks up .ts files in a
// directory, and would report 0 tests with exit 0. This script fails when no test ran, and under
// CI=true when any test was skipped because PostgreSQL was missing. It builds the programs first.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const roots = [join(root, 'packages'), join(root, 'bench')].filter((d) => {
  try {
    return statSync(d).isDirectory();
  } catch {
    return false;
  }
});
const files = roots
  .flatMap(find)
  .filter((f) => f.includes('/test/'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
console.log(`run-tests: ${files.length} files: ${files.map((f) => relative(root, f)).join(' ')}`);

// The end-to-end tests start the built programs (packages/server/test/helpers/built-main.ts): build
// them first. Incremental, so a second after `npm run typecheck` has built them already.
const programs = ['packages/server', 'packages/client', 'packages/cluster', 'packages/cli'];
const started = Date.now();
const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-b', ...programs],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) {
  console.error('run-tests: the build (tsc -b) failed');
  process.exit(1);
}
console.log(`run-tests: built ${programs.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const child = spawn(
  process.execPath,
  [
    '--conditions=tessera-source',
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 4}`,
    ...files,
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
);
// The summary's counts (`ℹ tests 545`…), read line by line as they stream past: the spec reporter
// prints the failing tests again after the summary, and their messages can be long.
const counts = new Map();
let partial = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const match = /^ℹ (\w+) (\d+)$/.exec(line);
    if (match) counts.set(match[1], Number(match[2]));
  }
});
child.on('close', (code) => {
  const count = (name) => counts.get(name) ?? NaN;
  const tests = count('tests');
  const failed = count('fail');
  const skipped = count('skipped');
  const passed = count('pass');
  if (!(tests > 0)) {
    console.error(
      `run-tests: the runner reported ${Number.isNaN(tests) ? 'no summary' : '0 tests'}; failing.`,
    );
    process.exit(1);
  }
  if (process.env.CI === 'true' && skipped > 0) {
    console.error(`run-tests: ${skipped} tests skipped under CI=true; every test must run in CI.`);
    process.exit(1);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
