import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { hashSecret } from '../../../packages/server/src/crypto/secrets.js';

/** A seeded application's credentials, as a client would send them. */
export interface SeededApp {
  id: string;
  name: string;
  secret: string;
}

const TENANT_ID = 1;

/**
 * Creates `count` applications, each with its own secret, by bulk insert straight into the store
 * (one transaction on SQLite, `unnest` batches on PostgreSQL) — the API would take minutes for
 * 100,000. The rows are exactly what `POST /api/v1/apps` writes: an `applications` row and a
 * `credential_secrets` row holding HMAC-SHA-256(pepper, secret). On PostgreSQL it then runs
 * `ANALYZE`, as autovacuum would shortly after such a load.
 *
 * @example
 * ```ts
 * const apps = await seedApps({ kind: 'sqlite', dataDir }, pepper, 100_000)
 * ```
 */
export async function seedApps(
  store: { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; databaseUrl: string },
  pepper: Buffer,
  count: number,
): Promise<SeededApp[]> {
  const salt = randomBytes(16);
  const now = Date.now();
  const apps: Array<SeededApp & { hash: string; secretId: string }> = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const secret = createHash('sha256').update(salt).update(String(i)).digest('base64url');
    apps.push({
      id,
      name: `bench-app-${i}`,
      secret,
      hash: hashSecret(pepper, secret),
      secretId: randomUUID(),
    });
  }
  if (store.kind === 'sqlite') {
    const db = new SQLite(join(store.dataDir, 'tessera.db'));
    db.pragma('busy_timeout = 5000');
    const insertApp = db.prepare(
      `insert into applications (id, tenant_id, name, client_id, enabled, tokens_valid_after, last_login,
         created_by, created_at, updated_at) values (?, ?, ?, ?, 1, 0, null, 'bench', ?, ?)`,
    );
    const insertSecret = db.prepare(
      `insert into credential_secrets (id, tenant_id, owner_type, owner_id, secret_hash, created_at, expires_at)
       values (?, ?, 'app', ?, ?, ?, null)`,
    );
    db.transaction(() => {
      for (const a of apps) {
        insertApp.run(a.id, TENANT_ID, a.name, a.id, now, now);
        insertSecret.run(a.secretId, TENANT_ID, a.id, a.hash, now);
      }
    })();
    db.close();
  } else {
    const client = new pg.Client({ connectionString: store.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      for (let i = 0; i < apps.length; i += 10_000) {
        const batch = apps.slice(i, i + 10_000);
        const ids = batch.map((a) => a.id);
        await client.query(
          `insert into applications (id, tenant_id, name, client_id, enabled, tokens_valid_after, last_login,
             created_by, created_at, updated_at)
           select id, $1, name, id, 1, 0, null, 'bench', $2, $2 from unnest($3::text[], $4::text[]) as t(id, name)`,
          [TENANT_ID, now, ids, batch.map((a) => a.name)],
        );
        await client.query(
          `insert into credential_secrets (id, tenant_id, owner_type, owner_id, secret_hash, created_at, expires_at)
           select sid, $1, 'app', oid, h, $2, null from unnest($3::text[], $4::text[], $5::text[]) as t(sid, oid, h)`,
          [TENANT_ID, now, batch.map((a) => a.secretId), ids, batch.map((a) => a.hash)],
        );
      }
      await client.query('commit');
      await client.query('analyze');
    } finally {
      await client.end();
    }
  }
  return apps.map(({ id, name, secret }) => ({ id, name, secret }));
}
