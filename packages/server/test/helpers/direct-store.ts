import { openStore } from '../../src/store/store.js';
import type { TestDatabase } from './stores.js';

/**
 * Opens the database a server process uses, for what the API cannot do yet or must never show:
 * creating a project (the org-unit API comes with the Administrator REST API issue) and reading
 * raw rows to prove no plaintext secret is stored.
 */
export function openDirect(db: TestDatabase) {
  return openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
}

/** Inserts a project into tenant 1 and returns its id as the API spells it (a numeric string). */
export async function insertProject(db: TestDatabase, name: string): Promise<string> {
  const store = openDirect(db);
  try {
    const now = Date.now();
    const { id } = await store.db
      .insertInto('projects')
      .values({
        tenant_id: 1,
        name,
        department_id: null,
        cluster_id: null,
        created_by: 'test',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(id);
  } finally {
    await store.close();
  }
}
