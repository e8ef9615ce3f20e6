import type { Context } from '../context.js';
import { secretMatches } from '../crypto/secrets.js';
import { lockOf, throttledSecretLookup, type ThrottleRow } from '../oauth/throttle-secret.js';
import type { ApplicationTable } from '../store/schema.js';
import { appWithSecrets } from './app-credentials-query.js';
import { cachedLocksAndApp } from './credential-cache.js';

/** Why a credential check failed. Recorded in the audit log, never told to the caller. */
export type CredentialFailure = 'unknown_client' | 'wrong_secret' | 'disabled';

export type CredentialCheck<T> =
  { ok: true; subject: T } | { ok: false; reason: CredentialFailure; subject?: T };

type AppRow = Pick<ApplicationTable, 'id' | 'name' | 'client_id' | 'enabled' | 'tenant_id'>;

/**
 * Checks an application's secret. `identifier` is the application's name or its client id (the
 * seed's `AppId` is the name; `clientID` is the client id). The secret is hashed and compared even
 * when the application does not exist, so timing does not reveal which names exist.
 *
 * @example
 * ```ts
 * const check = await checkAppSecret(ctx, tenantId, fields.appid, fields.appsecret)
 * if (!check.ok) audit(check.reason)
 * ```
 */
export async function checkAppSecret(
  ctx: Context,
  tenantId: number,
  identifier: string,
  secret: string,
  now = Date.now(),
): Promise<CredentialCheck<AppRow>> {
  const rows = await appWithSecrets(ctx.store.db, { tenantId, identifier, now });
  return judgeApp(ctx, rows, secret, now);
}

/**
 * {@link checkAppSecret} under brute-force protection: failures count per (client, address) and per
 * address; a locked pair gets 429 with `Retry-After`. The token endpoint's hot path: the throttle's
 * lock and the application with its secrets come back from one query (one round trip), shared on
 * PostgreSQL by the lookups that arrive together (credentials/app-lookup-batch.ts).
 *
 * @example
 * ```ts
 * const check = await checkAppSecretThrottled(ctx, tenantId, appId, secret, request.ip)
 * ```
 */
export async function checkAppSecretThrottled(
  ctx: Context,
  tenantId: number,
  identifier: string,
  secret: string,
  address: string,
): Promise<CredentialCheck<AppRow>> {
  let check: CredentialCheck<AppRow> | undefined;
  await throttledSecretLookup(
    ctx,
    tenantId,
    { kind: 'client', account: identifier, address },
    async (keys, now) => {
      const { pair, address } = keys;
      const rows = await cachedLocksAndApp(ctx.store.db, { pair, address, tenantId, identifier, now });
      const first = rows[0];
      const throttle: ThrottleRow[] = [];
      // Both null or undefined mean "no throttle row for this key".
      const pairLock = first?.pair_lock ?? null;
      const addressLock = first?.address_lock ?? null;
      if (pairLock !== null) throttle.push({ key: keys.pair, locked_until: Number(pairLock) });
      if (addressLock !== null) throttle.push({ key: keys.address, locked_until: Number(addressLock) });
      if (lockOf(throttle) > now) return { rows: throttle };
      // The outer row is there even without an application (left join): no `id` means unknown.
      check = judgeApp(ctx, rows.filter(hasApp), secret, now);
      return {
        rows: throttle,
        result: check.ok ? { ok: true, value: undefined } : { ok: false, reason: check.reason },
      };
    },
  );
  return check as CredentialCheck<AppRow>;
}

type SecretRow = AppRow & { secret_hash: string | null; expires_at: number | null };

function hasApp<R extends { id: string | null }>(row: R): row is R & SecretRow {
  return row.id !== null;
}

/**
 * Compares the secret with the application's secrets live at `now` (also when there is no
 * application). The query already left out secrets expired when it ran; rows from the credential
 * cache may be older than a secret's expiry, hence the second look.
 */
function judgeApp(
  ctx: Context,
  rows: readonly SecretRow[],
  secret: string,
  now: number,
): CredentialCheck<AppRow> {
  const first = rows[0];
  // The queries name one application at most (by client id before name): all rows are its.
  const app = first && {
    id: first.id,
    name: first.name,
    client_id: first.client_id,
    enabled: first.enabled,
    tenant_id: first.tenant_id,
  };
  const hashes = app
    ? rows
        .filter((r) => r.id === app.id && r.secret_hash !== null && liveAt(r.expires_at, now))
        .map((r) => r.secret_hash as string)
    : [];
  const matched = secretMatches(ctx.master.pepper, secret, hashes);
  if (!app) return { ok: false, reason: 'unknown_client' };
  if (!matched) return { ok: false, reason: 'wrong_secret', subject: app };
  if (!app.enabled) return { ok: false, reason: 'disabled', subject: app };
  return { ok: true, subject: app };
}

const liveAt = (expiresAt: number | null, now: number) => expiresAt === null || Number(expiresAt) > now;
