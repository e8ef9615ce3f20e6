#!/usr/bin/env node
// Launcher for `runai`: runs the built CLI when dist/ exists, else the TypeScript sources through
// tsx (a development checkout after `npm ci`, where `npx runai` must work without a build).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const src = fileURLToPath(new URL('../src/main.ts', import.meta.url));

if (existsSync(dist) && !process.env.RUNAI_CLI_FROM_SOURCE) {
  await import(new URL('../dist/main.js', import.meta.url).href);
} else {
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--conditions=tessera-source', '--import', tsx, src, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  // Ctrl-C reaches the child directly (same process group); the launcher just waits for it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
}
