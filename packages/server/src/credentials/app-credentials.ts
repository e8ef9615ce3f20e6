import type { Context } from '../context.js';
import { secretMatches } from '../crypto/secrets.js';
import { throttledSecret } from '../oauth/throttle.js';
import type { ApplicationTable } from '../store/schema.js';

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
  // One round trip: the application and its live secrets together (a left join, so an application
  // without a secret still comes back and fails as wrong_secret).
  const rows = await ctx.store.db
    .selectFrom('applications as a')
    .leftJoin('credential_secrets as s', (join) =>
      join
        .onRef('s.owner_id', '=', 'a.id')
        .on('s.owner_type', '=', 'app')
        .on((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', now)])),
    )
    .select(['a.id', 'a.name', 'a.client_id', 'a.enabled', 'a.tenant_id', 's.secret_hash'])
    .where('a.tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('a.name', '=', identifier), eb('a.client_id', '=', identifier)]))
    .execute();
  const first = rows[0];
  // A name could equal another application's client id: take one application, as before.
  const app = first && {
    id: first.id,
    name: first.name,
    client_id: first.client_id,
    enabled: first.enabled,
    tenant_id: first.tenant_id,
  };
  const hashes = app
    ? rows.filter((r) => r.id === app.id && r.secret_hash !== null).map((r) => r.secret_hash as string)
    : [];
  const matched = secretMatches(ctx.master.pepper, secret, hashes);
  if (!app) return { ok: false, reason: 'unknown_client' };
  if (!matched) return { ok: false, reason: 'wrong_secret', subject: app };
  if (!app.enabled) return { ok: false, reason: 'disabled', subject: app };
  return { ok: true, subject: app };
}

/**
 * {@link checkAppSecret} under brute-force protection: failures count per (client, address) and per
 * address; a locked pair gets 429 with `Retry-After`.
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
  await throttledSecret(ctx, tenantId, { kind: 'client', account: identifier, address }, async () => {
    check = await checkAppSecret(ctx, tenantId, identifier, secret);
    return check.ok ? { ok: true, value: undefined } : { ok: false, reason: check.reason };
  });
  return check as CredentialCheck<AppRow>;
}
