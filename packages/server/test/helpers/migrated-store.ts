import { bootstrap } from '../../src/bootstrap/bootstrap.js';
import { migrate, openStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from './stores.js';

/**
 * A fresh database of `kind`, opened as a store and migrated; with `admin`, also bootstrapped
 * (tenant 1 and its administrator). The caller closes the store and drops the database.
 *
 * @example
 * ```ts
 * ({ database, store } = await openMigratedStore(kind, { admin: { email: 'a@example.com', password: 'pw-pw-pw-pw' } }))
 * ```
 */
export async function openMigratedStore(
  kind: StoreKind,
  options: { admin?: { email: string; password: string } } = {},
): Promise<{ database: TestDatabase; store: Store }> {
  const database = await createTestDatabase(kind);
  const store = openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
  await migrate(store.db, store.dialect);
  if (options.admin) {
    await bootstrap(store.db, { adminEmail: options.admin.email, adminPassword: options.admin.password });
  }
  return { database, store };
}
