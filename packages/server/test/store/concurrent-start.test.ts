import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { builtMain } from '../helpers/built-main.js';
import { openDirect } from '../helpers/direct-store.js';
import { postgresUnavailable, createTestDatabase, storeKinds, type TestDatabase } from '../helpers/stores.js';

const MAIN = builtMain('server');
const skip = storeKinds().includes('postgres')
  ? await postgresUnavailable()
  : 'TEST_STORES excludes postgres';

// Replicas share one PostgreSQL database and may start at the same instant: migrations, bootstrap
// and the first signing key must happen exactly once.
describe('three processes starting together on one PostgreSQL database', { skip }, () => {
  let db: TestDatabase;
  after(async () => db?.drop());

  it('all start; one tenant, one admin, one admin rule, one active signing key', async () => {
    db = await createTestDatabase('postgres');
    const procs = [0, 1, 2].map(() =>
      spawn(process.execPath, [MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          PORT: '0',
          TESSERA_DATA_DIR: db.dataDir,
          TESSERA_DATABASE_URL: db.databaseUrl,
          TESSERA_ADMIN_PASSWORD: 'concurrent-start',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    try {
      await Promise.all(
        procs.map(
          (proc) =>
            new Promise<void>((resolve, reject) => {
              let out = '';
              const onData = (chunk: Buffer) => {
                out += chunk.toString();
                if (out.includes('tessera listening')) resolve();
              };
              proc.stdout.on('data', onData);
              proc.stderr.on('data', onData);
              proc.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
            }),
        ),
      );
    } finally {
      for (const proc of procs) proc.kill('SIGTERM');
    }
    const store = openDirect(db);
    try {
      const count = async (table: 'tenants' | 'users' | 'access_rules') =>
        (
          await store.db
            .selectFrom(table)
            .select(store.db.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      assert.equal(Number(await count('tenants')), 1);
      assert.equal(Number(await count('users')), 1);
      assert.equal(Number(await count('access_rules')), 1);
      const active = await store.db
        .selectFrom('signing_keys')
        .select('kid')
        .where('retired_at', 'is', null)
        .execute();
      assert.equal(active.length, 1);
    } finally {
      await store.close();
    }
  });
});
