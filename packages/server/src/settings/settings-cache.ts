import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';
import { startNotifiedCache, type NotifiedCache } from '../store/notified-cache.js';
import type { Database } from '../store/schema.js';

/** The PostgreSQL channel on which a committed settings change names its tenant. */
export const SETTINGS_CHANNEL = 'tessera_tenant_settings';

/** A tenant's stored settings, parsed, by key (no defaults: those depend on the caller). */
export type StoredSettings = Readonly<Record<string, unknown>>;

/** The in-process copy of tenants' stored settings of one store, by tenant id. */
export type SettingsCache = NotifiedCache<number, StoredSettings>;

const caches = new WeakMap<Kysely<Database>, SettingsCache>();

/**
 * The settings cache of `db`, when the server started one for it; undefined for transactions and
 * for stores opened without one (tests, tools), which then read the table every time.
 *
 * @example
 * ```ts
 * const stored = await (settingsCacheOf(db)?.read(1, load) ?? load())
 * ```
 */
export function settingsCacheOf(db: Kysely<Database>): SettingsCache | undefined {
  return caches.get(db);
}

/**
 * Keeps tenants' stored settings in process, so the token endpoint does not read `tenant_settings`
 * on every grant: a {@link NotifiedCache} (invalidation, not a time to live) whose writers call
 * {@link announceSettingsChange} inside their transaction (`NOTIFY tessera_tenant_settings` with the
 * tenant id, for the other replicas) and {@link settingsChanged} after it committed (for this one).
 *
 * @example
 * ```ts
 * const cache = startSettingsCache(store.db, config.databaseUrl, log)
 * // … on shutdown
 * await cache.stop()
 * ```
 */
export function startSettingsCache(
  db: Kysely<Database>,
  databaseUrl: string | undefined,
  log: { warn(obj: object, msg: string): void },
): SettingsCache {
  const cache = startNotifiedCache<number, StoredSettings>({
    databaseUrl,
    channel: SETTINGS_CHANNEL,
    keyOf: (payload) => (Number.isInteger(Number(payload)) && payload !== '' ? Number(payload) : undefined),
    name: 'settings',
    log,
  });
  caches.set(db, cache);
  return Object.assign({}, cache, {
    stop: async () => {
      caches.delete(db);
      await cache.stop();
    },
  });
}

/**
 * Announces a settings change inside the transaction that writes it: on PostgreSQL a `NOTIFY`
 * that every replica's cache receives once the transaction commits (nothing on SQLite).
 *
 * @example
 * ```ts
 * await writeSetting(trx, tenantId, key, value, by) // calls announceSettingsChange(trx, tenantId)
 * ```
 */
export async function announceSettingsChange(trx: Kysely<Database>, tenantId: number): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter)
    await sql`select pg_notify(${SETTINGS_CHANNEL}, ${String(tenantId)})`.execute(trx);
}

/**
 * Makes a committed settings change apply at once in this process. Call it after the transaction
 * that wrote the settings has committed (other replicas learn of it from the NOTIFY).
 *
 * @example
 * ```ts
 * await db.transaction().execute((trx) => writeSetting(trx, tenantId, key, value, by))
 * settingsChanged(db, tenantId)
 * ```
 */
export function settingsChanged(db: Kysely<Database>, tenantId: number): void {
  caches.get(db)?.forget(tenantId);
}
