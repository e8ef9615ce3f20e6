import type { Kysely } from 'kysely';
import { CREDENTIALS_CHANNEL } from '../store/migrations/0007-credential-notify.js';
import { startNotifiedCache, type NotifiedCache } from '../store/notified-cache.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { lookupLocksAndApp, type AppLookup, type LockAndAppRow } from './app-lookup-batch.js';

/**
 * Lookups kept at most (the oldest goes first). One per (tenant, application, client address):
 * ~500 bytes of heap each (measured: the row ~410 once compacted, below; the flat key with its
 * slot in the map ~95), ~50 MB when full, and about twice that in RSS with V8's headroom (bench/README.md); with more
 * applications than this in use, the rest are read from the store as before.
 */
const MAX_ENTRIES = 100_000;

const caches = new WeakMap<Kysely<Database>, NotifiedCache<string, LockAndAppRow[]>>();

/**
 * Keeps the application grant's credential lookups in process: the application, its secrets (with
 * their expiry, checked at each use) and the throttle's locks, so that a grant reads nothing from
 * the store and writes only its audit event. Correctness rests on invalidation (a
 * {@link NotifiedCache}): the store tells of every change this process makes to those tables once
 * the statement, or its transaction, has ended (`store/credential-writes.ts`); on PostgreSQL,
 * triggers announce every committed change on `tessera_credentials` to every replica (migration
 * 0007), and while that listener is down nothing is cached. Any change forgets every entry:
 * changes are rare (an administrator's action, a wrong secret), grants are not.
 *
 * @example
 * ```ts
 * const cache = startCredentialCache(store, config.databaseUrl, log)
 * await cache.stop()
 * ```
 */
export function startCredentialCache(
  store: Pick<Store, 'db' | 'onCredentialsChanged'>,
  databaseUrl: string | undefined,
  log: { warn(obj: object, msg: string): void },
): { stop(): Promise<void> } {
  const cache = startNotifiedCache<string, LockAndAppRow[]>({
    databaseUrl,
    channel: CREDENTIALS_CHANNEL,
    keyOf: () => undefined,
    maxEntries: MAX_ENTRIES,
    name: 'credential cache',
    log,
  });
  const unsubscribe = store.onCredentialsChanged(() => cache.forget());
  caches.set(store.db, cache);
  return {
    async stop() {
      caches.delete(store.db);
      unsubscribe();
      await cache.stop();
    },
  };
}

/**
 * {@link lookupLocksAndApp} through the store's credential cache when the server started one (tests
 * and tools without one read the store every time). The rows carry each secret's expiry: a cached
 * secret is live only until then (`judgeApp` checks), and a lock only until its `locked_until`.
 *
 * @example
 * ```ts
 * const rows = await cachedLocksAndApp(db, { tenantId: 1, identifier: 'ci', pair, address, now: Date.now() })
 * ```
 */
export function cachedLocksAndApp(db: Kysely<Database>, lookup: AppLookup): Promise<LockAndAppRow[]> {
  const cache = caches.get(db);
  const load = () => lookupLocksAndApp(db, lookup);
  if (!cache) return load();
  // The pair's key is made of these three (the tenant, the identifier lowercased, the address).
  const key = `${lookup.tenantId}\u0000${lookup.identifier}\u0000${lookup.address}`;
  // V8 keeps a template literal as a tree of its pieces (~230 bytes with the map's slot here);
  // reading a character makes it one flat string (~95): 100,000 cached keys, ~13 MB less.
  void key.charCodeAt(0);
  return cache.read(key, async () => (await load()).map(compactRow));
}

/**
 * A row as a plain object literal: better-sqlite3's row objects take ~560 bytes of heap against ~410
 * for the same values this way, and a full cache holds 100,000 of them (bench/README.md).
 */
function compactRow(row: LockAndAppRow): LockAndAppRow {
  return {
    pair_lock: row.pair_lock,
    address_lock: row.address_lock,
    id: row.id,
    name: row.name,
    client_id: row.client_id,
    enabled: row.enabled,
    tenant_id: row.tenant_id,
    secret_hash: row.secret_hash,
    expires_at: row.expires_at,
  };
}
