import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../store/schema.js';

/** The PostgreSQL channel on which a committed settings change names its tenant. */
export const SETTINGS_CHANNEL = 'tessera_tenant_settings';

/** How long the listener waits before reconnecting after its connection failed. */
const RECONNECT_MS = 1_000;

/** A tenant's stored settings, parsed, by key (no defaults: those depend on the caller). */
export type StoredSettings = Readonly<Record<string, unknown>>;

/** The in-process copy of tenants' stored settings of one store. */
export interface SettingsCache {
  /** The tenant's stored settings: the cached copy, or `load()` (cached when nothing changed meanwhile). */
  read(tenantId: number, load: () => Promise<StoredSettings>): Promise<StoredSettings>;
  /** Forgets a tenant's copy (a change committed here or on another replica). */
  forget(tenantId: number): void;
  stop(): Promise<void>;
}

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
 * on every grant. Correctness rests on invalidation, not on a time to live:
 * - a change made by this process applies at once: the writer calls {@link settingsChanged} after
 *   its transaction committed;
 * - on PostgreSQL, the writer also sends `NOTIFY tessera_tenant_settings` in its transaction, which
 *   PostgreSQL delivers to every replica's listener when (and only if) it commits: a change made on
 *   another replica applies there as soon as the notification arrives (a few ms on a LAN);
 * - while the listener's connection is down, this process does not cache at all (every read goes to
 *   the table), and it starts from an empty cache once it listens again;
 * - a load that was running while a change arrived is answered but not kept, so an old value read
 *   before the commit can never be cached after the notification.
 * SQLite is never shared between processes, so there the first rule is the whole story.
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
  const entries = new Map<number, StoredSettings>();
  let generation = 0;
  // SQLite has no other writer; PostgreSQL caches only while its listener is connected.
  let listening = !databaseUrl;
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const forgetAll = () => {
    generation++;
    entries.clear();
  };

  async function listen(): Promise<void> {
    if (stopped || !databaseUrl) return;
    const next = new pg.Client({ connectionString: databaseUrl });
    const down = (err?: Error) => {
      if (client !== next) return;
      client = undefined;
      listening = false;
      forgetAll();
      if (!stopped) {
        if (err) log.warn({ err: err.message }, 'settings listener lost its connection; not caching');
        retry = setTimeout(() => void listen(), RECONNECT_MS);
        retry.unref();
      }
      void next.end().catch(() => undefined);
    };
    client = next;
    next.on('error', down);
    next.on('end', () => down());
    next.on('notification', (message) => {
      if (message.channel !== SETTINGS_CHANNEL) return;
      const tenantId = Number(message.payload);
      if (Number.isInteger(tenantId)) cache.forget(tenantId);
      else forgetAll();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${SETTINGS_CHANNEL}`);
      if (client !== next) return;
      // Whatever changed while nobody listened: start empty.
      forgetAll();
      listening = true;
    } catch (err) {
      down(err as Error);
    }
  }

  const cache: SettingsCache = {
    async read(tenantId, load) {
      if (!listening) return load();
      const cached = entries.get(tenantId);
      if (cached) return cached;
      const before = generation;
      const loaded = await load();
      if (listening && generation === before) entries.set(tenantId, loaded);
      return loaded;
    },
    forget(tenantId) {
      generation++;
      entries.delete(tenantId);
    },
    async stop() {
      stopped = true;
      listening = false;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      forgetAll();
      caches.delete(db);
      await current?.end().catch(() => undefined);
    },
  };
  caches.set(db, cache);
  void listen();
  return cache;
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
