import type { LastLogin } from './grant.js';

/**
 * How far behind a row's stored last login may fall, per table. An application's, a user's, a service
 * account's or an access key's `lastLogin` is shown to administrators ("last used"), and every
 * grant's exact time is in the audit log, so ten minutes is close enough; setting a row again only
 * five to ten minutes after it was set (below) takes a random page write off nearly every grant of
 * a store with many applications: with 100,000 applications used at 10,000 grants a second, one
 * grant in 45 sets a row where a one-minute bound made it one in 6 (bench/README.md, eighteenth
 * session). A cluster's `last_seen` decides its status, Connected while under five minutes old
 * (admin/clusters/routes.ts), so it keeps a minute.
 */
export const LAST_LOGIN_RESOLUTION_MS: Readonly<Record<LastLogin['table'], number>> = Object.freeze({
  applications: 600_000,
  users: 600_000,
  service_accounts: 600_000,
  access_keys: 600_000,
  clusters: 60_000,
});

/** The rows a journal batch sets, per table. */
export type LoginRows = ReadonlyMap<LastLogin['table'], ReadonlySet<string>>;

/** Which rows this process set lately, so that the grant journal does not set them again. */
export interface RecentLogins {
  /** Whether `login`'s row is to be set at `now`: this process has not set it recently enough. */
  due(login: LastLogin, now: number): boolean;
  /** Notes the rows a committed batch set to `at`. */
  committed(rows: LoginRows, at: number): void;
}

/** One table's rows: when each is due again, in two generations of one resolution each. */
interface Generations {
  current: Map<string, number>;
  previous: Map<string, number>;
  started: number;
}

/**
 * A row set to time `at` is due again at a random moment between half its table's resolution and the
 * whole of it after `at`, so its stored last login is never more than the resolution behind this
 * process's latest grant. The randomness spreads the writes: a process that met 100,000 applications
 * in its first seconds would otherwise set them all again in the same seconds ten minutes on. Each
 * replica keeps its own, and the store keeps the greatest time any of them set.
 *
 * Memory: an entry per row set in the last two resolutions, ~100 bytes with its id (10 MB for 100,000
 * applications in one generation; a `Set` of ids, as before, was ~80 bytes an entry). A row is
 * looked up in the current generation, then the previous one; when a generation has lasted a
 * resolution the previous one is dropped whole, since every entry in it was set at least one
 * resolution ago and so is due.
 *
 * @example
 * ```ts
 * const recent = recentLogins()
 * if (recent.due({ table: 'applications', id }, Date.now())) await setLastLogin(id)
 * recent.committed(new Map([['applications', new Set([id])]]), Date.now())
 * ```
 */
export function recentLogins(
  resolutionMs: Readonly<Record<LastLogin['table'], number>> = LAST_LOGIN_RESOLUTION_MS,
  random: () => number = Math.random,
): RecentLogins {
  const tables = new Map<LastLogin['table'], Generations>();
  const generationsOf = (table: LastLogin['table'], now: number): Generations => {
    let generations = tables.get(table);
    if (!generations) {
      generations = { current: new Map(), previous: new Map(), started: now };
      tables.set(table, generations);
    } else if (now - generations.started >= resolutionMs[table]) {
      generations.previous =
        now - generations.started >= 2 * resolutionMs[table] ? new Map() : generations.current;
      generations.current = new Map();
      generations.started = now;
    }
    return generations;
  };
  return {
    due({ table, id }, now) {
      const { current, previous } = generationsOf(table, now);
      const dueAt = current.get(id) ?? previous.get(id);
      return dueAt === undefined || now >= dueAt;
    },
    committed(rows, at) {
      for (const [table, ids] of rows) {
        const resolution = resolutionMs[table];
        const { current, previous } = generationsOf(table, at);
        for (const id of ids) {
          const dueAt = at + resolution * (0.5 + random() / 2);
          // A batch that set an older time, committed after a newer one, does not bring the row due sooner.
          const known = current.get(id) ?? previous.get(id);
          if (known === undefined || dueAt > known) current.set(id, dueAt);
        }
      }
    },
  };
}
