import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe } from 'node:test';
import { adminToken, call } from './api.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { postgresUnavailable, storeKinds } from './stores.js';

/** An application as `POST /api/v1/apps` returns it, secret included. */
export interface CreatedApp {
  id: string;
  name: string;
  secret: string;
}

/**
 * Creates an application with the viewer role through the API.
 *
 * @example
 * ```ts
 * const app = await createApp(server.url, admin, 'ci')
 * ```
 */
export async function createApp(url: string, admin: string, name: string): Promise<CreatedApp> {
  const res = await call(url, 'POST', '/api/v1/apps', { name, roles: ['viewer'] }, admin);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as CreatedApp;
}

/**
 * Polls `read` until it answers `want` (what another replica learns through PostgreSQL's NOTIFY);
 * the 15 s bound is generous because the machine is shared.
 *
 * @example
 * ```ts
 * await eventually(() => statusOf(second.url), 401)
 * ```
 */
export async function eventually<T>(read: () => Promise<T>, want: T): Promise<void> {
  const deadline = Date.now() + 15_000;
  let got = await read();
  while (got !== want && Date.now() < deadline) {
    await sleep(20);
    got = await read();
  }
  assert.equal(got, want);
}

const postgresSkip = storeKinds().includes('postgres')
  ? await postgresUnavailable()
  : 'TEST_STORES excludes postgres';

/** Two server processes sharing one PostgreSQL database, and the administrator's token on the first. */
export interface Replicas {
  first: ServerProcess;
  second: ServerProcess;
  admin: string;
}

/**
 * Declares a suite over two replicas on one PostgreSQL database (skipped with the reason outside CI
 * when PostgreSQL is missing). `body` receives a getter: the replicas exist once `before` ran.
 *
 * @example
 * ```ts
 * describeReplicas('settings', (replicas) => it('…', async () => { const { first, second } = replicas() }))
 * ```
 */
export function describeReplicas(name: string, body: (replicas: () => Replicas) => void): void {
  describe(`${name}, two replicas on one PostgreSQL database`, { skip: postgresSkip }, () => {
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    let admin = '';
    before(async () => {
      first = await startServerProcess('postgres');
      second = await startServerProcess('postgres', {}, { shareDatabaseOf: first });
      admin = await adminToken(first.url);
    });
    after(async () => {
      await second?.dispose();
      await first?.dispose();
    });
    body(() => ({ first: first as ServerProcess, second: second as ServerProcess, admin }));
  });
}
