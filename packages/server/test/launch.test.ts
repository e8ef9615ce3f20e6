import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, it } from 'node:test';
import { cpuBudget, threadPoolSize } from '../src/crypto/cpu-budget.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from './helpers/server-process.js';

const started: ServerProcess[] = [];
after(async () => {
  for (const server of started) await server.dispose();
});

/** The threads of a server once a password grant has run: libuv starts its whole pool at its first job. */
async function threadsAfterPasswordGrant(env: Record<string, string>): Promise<number> {
  const server = await startServerProcess('sqlite', env);
  started.push(server);
  const res = await fetch(`${server.url}/api/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grantType: 'password', username: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  assert.equal(res.status, 200);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return readdirSync(`/proc/${server.pid()}/task`).length;
}

it('sizes libuv’s thread pool to the CPUs unless UV_THREADPOOL_SIZE says otherwise', async () => {
  const sized = await threadsAfterPasswordGrant({});
  const six = await threadsAfterPasswordGrant({ UV_THREADPOOL_SIZE: '6' });
  // Everything else about the two processes is the same: they differ by the pool's threads only.
  assert.equal(six - sized, 6 - threadPoolSize(cpuBudget()));
});

it('threadPoolSize: the CPUs rounded up, at least 2, at most 4', () => {
  assert.deepEqual([0.5, 1, 2, 3, 4, 16].map(threadPoolSize), [2, 2, 2, 3, 4, 4]);
});
