import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { call } from '../helpers/api.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

// The newcomer's path: `npm start` builds and serves on the embedded store with no other step, and
// a first start without TESSERA_ADMIN_PASSWORD prints a generated password once, outside the log.
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-npm-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'builds, starts on SQLite, prints the generated admin password once, and serves',
    { timeout: 180_000 },
    async () => {
      const proc = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/root',
          PORT: '0',
          TESSERA_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`no start in 170 s:\n${stdout}\n${stderr}`)),
            170_000,
          );
          const check = () => {
            const match = /"url":"(http:[^"]+)"[^\n]*tessera listening/.exec(stdout);
            if (match?.[1] && stderr.includes('Password')) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          };
          proc.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), check()));
          proc.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), check()));
          proc.once('exit', (code) => reject(new Error(`npm start exited ${code}:\n${stdout}\n${stderr}`)));
        });
        assert.equal((await call(url, 'GET', '/healthz')).status, 200);
        assert.equal((await call(url, 'GET', '/readyz')).status, 200);
        const password = /Password \(shown once[^:]*\): (\S+)/.exec(stderr)?.[1];
        assert.ok(password, stderr);
        assert.ok(!stdout.includes(password), 'the generated password is not in the log');
        const login = await call(url, 'POST', '/api/v1/token', {
          grantType: 'password',
          username: 'admin@tessera.local',
          password,
        });
        assert.equal(login.status, 200);
        const ui = await fetch(`${url}/`); // the web UI, built by `npm start` too
        assert.equal(ui.status, 200);
        assert.match(await ui.text(), /<div id="root"><\/div>/);
        assert.equal(statSync(join(dataDir, 'master.key')).mode & 0o777, 0o600);
        assert.ok(statSync(join(dataDir, 'tessera.db')).isFile());
      } finally {
        if (proc.pid) process.kill(-proc.pid, 'SIGTERM');
      }
    },
  );
});
