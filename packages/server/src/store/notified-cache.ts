import pg from 'pg';

/** How long a listener waits before reconnecting after its connection failed. */
const RECONNECT_MS = 1_000;

/** An in-process cache whose entries are dropped when the store says they changed. */
export interface NotifiedCache<K, V> {
  /** The cached value, or `load()` (kept when nothing was forgotten while it ran). */
  read(key: K, load: () => Promise<V>): Promise<V>;
  /** Forgets one entry, or every entry when `key` is omitted. */
  forget(key?: K): void;
  stop(): Promise<void>;
}

/** How a {@link NotifiedCache} learns of changes made by other processes. */
export interface NotifiedCacheOptions<K> {
  /** PostgreSQL's URL; without one (SQLite, never shared between processes) nothing else writes. */
  databaseUrl: string | undefined;
  /** The channel a committed change is announced on (`NOTIFY channel, payload`). */
  channel: string;
  /** The entry a notification's payload names; undefined forgets every entry. */
  keyOf(payload: string): K | undefined;
  /** Entries kept at most; the oldest goes first. */
  maxEntries?: number;
  /** What the cache is called in its warning when the listener loses its connection. */
  name: string;
  log: { warn(obj: object, msg: string): void };
}

/**
 * An in-process cache whose correctness rests on invalidation, not on a time to live:
 * - a change made by this process applies at once: the writer calls `forget` once its transaction
 *   committed;
 * - on PostgreSQL, every committed change is also announced with `NOTIFY`, which PostgreSQL delivers
 *   to every replica's listener when (and only if) the transaction commits: a change made by
 *   another replica applies here as soon as the notification arrives (a few ms on a LAN);
 * - while the listener's connection is down, nothing is cached (every read loads), and the cache
 *   starts empty once it listens again;
 * - a load that was running while anything was forgotten is answered but not kept, so a value read
 *   before a commit can never be cached after it.
 *
 * @example
 * ```ts
 * const cache = startNotifiedCache<number, Settings>({ databaseUrl, channel: 'tessera_tenant_settings',
 *   keyOf: (p) => Number(p), name: 'settings', log })
 * const settings = await cache.read(tenantId, () => loadSettings(tenantId))
 * ```
 */
export function startNotifiedCache<K, V>(options: NotifiedCacheOptions<K>): NotifiedCache<K, V> {
  const { databaseUrl, channel, maxEntries = Infinity } = options;
  const entries = new Map<K, V>();
  let generation = 0;
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
        if (err)
          options.log.warn({ err: err.message }, `${options.name} listener lost its connection; not caching`);
        retry = setTimeout(() => void listen(), RECONNECT_MS);
        retry.unref();
      }
      void next.end().catch(() => undefined);
    };
    client = next;
    next.on('error', down);
    next.on('end', () => down());
    next.on('notification', (message) => {
      if (message.channel === channel) cache.forget(options.keyOf(message.payload ?? ''));
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (client !== next) return;
      // Whatever changed while nobody listened: start empty.
      forgetAll();
      listening = true;
    } catch (err) {
      down(err as Error);
    }
  }

  const cache: NotifiedCache<K, V> = {
    async read(key, load) {
      if (!listening) return load();
      const cached = entries.get(key);
      if (cached !== undefined) return cached;
      const before = generation;
      const loaded = await load();
      if (listening && generation === before) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as K);
        entries.set(key, loaded);
      }
      return loaded;
    },
    forget(key) {
      generation++;
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
    async stop() {
      stopped = true;
      listening = false;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      forgetAll();
      await current?.end().catch(() => undefined);
    },
  };
  void listen();
  return cache;
}
