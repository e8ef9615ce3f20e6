import type { Kysely } from 'kysely';
import { CREDENTIALS_CHANNEL } from '../store/migrations/0007-credential-notify.js';
import { startNotifiedCache, type NotifiedCache } from '../store/notified-cache.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { lookupLocksAndApp, type AppLookup, type LockAndAppRow } from './app-lookup-batch.js';

/**
 * Lookups kept at most (the oldest goes first). One per (tenant, application, client address):
 * ~280 bytes of heap each (measured: the packed rows ~185, below; the flat key with its slot in the
 * map ~95), ~28 MB when full; with more applications than this in use, the rest are read from the
 * store as before.
 */
const MAX_ENTRIES = 100_000;

const caches = new WeakMap<Kysely<Database>, NotifiedCache<string, string>>();

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
  const cache = startNotifiedCache<string, string>({
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
  const key = flat(`${lookup.tenantId}\u0000${lookup.identifier}\u0000${lookup.address}`);
  return cache.read(key, async () => pack(await load())).then(unpack);
}

/**
 * `text` as one flat string. V8 keeps a string built from pieces (a template literal, and
 * `JSON.stringify`'s output too) as a tree of them, and a cached key or entry would hold the tree:
 * ~230 against ~95 bytes for a key with its slot in the map. Reading a character flattens it.
 */
function flat(text: string): string {
  void text.charCodeAt(0);
  return text;
}

/** A row's values in a fixed order: the cached form names no keys. */
type PackedRow = [
  LockAndAppRow['pair_lock'],
  LockAndAppRow['address_lock'],
  LockAndAppRow['id'],
  LockAndAppRow['name'],
  LockAndAppRow['client_id'],
  LockAndAppRow['enabled'],
  LockAndAppRow['tenant_id'],
  LockAndAppRow['secret_hash'],
  LockAndAppRow['expires_at'],
];

/**
 * A lookup's rows as one flat JSON string (~185 bytes of heap for an application with one secret)
 * rather than an array of row objects and their strings (~355): less heap for a full cache to hold,
 * and one object, not six, for each lookup the cache takes in. While a cache of 100,000 lookups
 * filled under load, V8 grew the heap to 2.5–3 × what stayed live, and the server's RSS to 409 MB;
 * packed, 255 MB (bench/README.md). Parsing an entry back costs ~0.25 µs a grant.
 */
function pack(rows: readonly LockAndAppRow[]): string {
  return flat(
    JSON.stringify(
      rows.map((r): PackedRow => [
        r.pair_lock,
        r.address_lock,
        r.id,
        r.name,
        r.client_id,
        r.enabled,
        r.tenant_id,
        r.secret_hash,
        r.expires_at,
      ]),
    ),
  );
}

function unpack(packed: string): LockAndAppRow[] {
  return (JSON.parse(packed) as PackedRow[]).map((v) => ({
    pair_lock: v[0],
    address_lock: v[1],
    id: v[2],
    name: v[3],
    client_id: v[4],
    enabled: v[5],
    tenant_id: v[6],
    secret_hash: v[7],
    expires_at: v[8],
  }));
}
