import type { LastLogin } from './grant.js';

/**
 * How far behind a row's last login may be. `lastLogin` is shown to administrators ("last used"),
 * and every grant's exact time is in the audit log; setting it once a minute per row instead of
 * once per grant takes a random page write off most grants of a store with many applications
 * (bench/README.md).
 */
export const LAST_LOGIN_RESOLUTION_MS = 60_000;

/** The rows a journal batch sets, per table. */
export type LoginRows = ReadonlyMap<LastLogin['table'], ReadonlySet<string>>;

/** Which rows this process set lately, so that the grant journal does not set them again. */
export interface RecentLogins {
  /** Whether `login`'s row is to be set at `now`: this process has not set it in the current window. */
  due(login: LastLogin, now: number): boolean;
  /** Notes the rows a committed batch set to `at`. */
  committed(rows: LoginRows, at: number): void;
}

/**
 * Windows of `resolutionMs`: a row set in the current window (to a time inside it) is not due again
 * until the next one, so its stored last login is never more than `resolutionMs` behind this
 * process's latest grant. Each replica keeps its own, and the store keeps the greatest time any of
 * them set. Memory: one set entry per row set in the window, ~80 bytes with its id.
 *
 * @example
 * ```ts
 * const recent = recentLogins()
 * if (recent.due({ table: 'applications', id }, Date.now())) await setLastLogin(id)
 * recent.committed(new Map([['applications', new Set([id])]]), Date.now())
 * ```
 */
export function recentLogins(resolutionMs = LAST_LOGIN_RESOLUTION_MS): RecentLogins {
  const set = new Map<LastLogin['table'], Set<string>>();
  let windowStart = -Infinity;
  const roll = (now: number) => {
    if (now - windowStart < resolutionMs) return;
    set.clear();
    windowStart = now;
  };
  return {
    due(login, now) {
      roll(now);
      return !set.get(login.table)?.has(login.id);
    },
    committed(rows, at) {
      if (rows.size === 0) return;
      roll(at);
      // A batch that set a time from before this window does not make its rows fresh in it.
      if (at < windowStart) return;
      for (const [table, ids] of rows) {
        let seen = set.get(table);
        if (!seen) set.set(table, (seen = new Set()));
        for (const id of ids) seen.add(id);
      }
    },
  };
}
