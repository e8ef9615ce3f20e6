import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A store kind the suite runs against. */
export type StoreKind = 'sqlite' | 'postgres';

/** A fresh, empty database of one kind, and how to throw it away. */
export interface TestDatabase {
  kind: StoreKind;
  /** A fresh data dir (holds the SQLite file, or just the master key for PostgreSQL). */
  dataDir: string;
  /** Set for PostgreSQL. */
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The kinds named by TEST_STORES (default: both). */
export function storeKinds(): StoreKind[] {
  const raw = process.env.TEST_STORES ?? 'sqlite,postgres';
  const kinds = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const kind of kinds)
    if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`TEST_STORES: unknown store "${kind}"`);
  return kinds as StoreKind[];
}

let postgresReachable: Promise<string | undefined> | undefined;

/**
 * Why PostgreSQL cannot be used, or undefined when it can. Under CI=true an unreachable PostgreSQL
 * is an error, never a skip.
 */
export function postgresUnavailable(): Promise<string | undefined> {
  postgresReachable ??= (async () => {
    // A loaded machine can take seconds to answer; a stopped server refuses at once.
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 20_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (err) {
      const reason = `PostgreSQL at ${ADMIN_URL} is not reachable: ${(err as Error).message}`;
      if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: PostgreSQL tests must run)`);
      return reason;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresReachable;
}

/**
 * Creates a fresh database: a new SQLite data dir, or a new uniquely named PostgreSQL database.
 *
 * @example
 * ```ts
 * const db = await createTestDatabase('postgres')
 * try { ... } finally { await db.drop() }
 * ```
 */
export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `tessera-${kind}-`));
  if (kind === 'sqlite') {
    return {
      kind,
      dataDir,
      databaseUrl: undefined,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `tessera_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      await withAdmin(async (c) => {
        // Connections that were just closed may still be on their way out. Forcing the drop at once
        // would terminate them, and a pg client whose pool already let go of it turns that into an
        // uncaught error in the test process; so wait for them first, force only as a last resort.
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            await c.query(`drop database if exists ${name}`);
            return;
          } catch (err) {
            if ((err as { code?: string }).code !== '55006') throw err; // object_in_use
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        await c.query(`drop database if exists ${name} with (force)`);
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
