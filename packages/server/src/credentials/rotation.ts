import type { Kysely } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import type { Context } from '../context.js';
import { generateSecret, hashSecret, secretMatches } from '../crypto/secrets.js';
import type { Database, SecretOwnerType } from '../store/schema.js';

/** How a regenerated secret takes over from the previous one. */
export interface RotationOptions {
  /** Seconds the previous secret keeps working; 0 ends it at once (and revokes its tokens). */
  overlapSec: number;
  /** Seconds until the new secret itself expires; undefined: never. */
  expiresInSec?: number;
}

/**
 * Gives an owner (application, service account, access key) a new secret and returns it (shown
 * once). At most two secrets live at once: during the overlap the previous one still works, then it
 * expires; any older secret is dropped now.
 *
 * @example
 * ```ts
 * const secret = await rotateSecret(trx, pepper, tenantId, 'service-account', id, { overlapSec: 3600 })
 * ```
 */
export async function rotateSecret(
  db: Kysely<Database>,
  pepper: Buffer,
  tenantId: number,
  ownerType: SecretOwnerType,
  ownerId: string,
  options: RotationOptions,
  now = Date.now(),
): Promise<string> {
  const live = await db
    .selectFrom('credential_secrets')
    .select(['id', 'expires_at'])
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
  const keep = options.overlapSec > 0 ? live.slice(0, 1) : [];
  const dropIds = live.filter((s) => !keep.includes(s)).map((s) => s.id);
  await db
    .deleteFrom('credential_secrets')
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .where((eb) => eb.or([eb('id', 'in', dropIds.length ? dropIds : ['-']), eb('expires_at', '<=', now)]))
    .execute();
  for (const previous of keep) {
    const end = now + options.overlapSec * 1000;
    await db
      .updateTable('credential_secrets')
      .set({ expires_at: previous.expires_at === null ? end : Math.min(previous.expires_at, end) })
      .where('id', '=', previous.id)
      .execute();
  }
  const secret = generateSecret();
  await db
    .insertInto('credential_secrets')
    .values({
      id: uuidv4(),
      tenant_id: tenantId,
      owner_type: ownerType,
      owner_id: ownerId,
      secret_hash: hashSecret(pepper, secret),
      created_at: now,
      expires_at: options.expiresInSec === undefined ? null : now + options.expiresInSec * 1000,
    })
    .execute();
  return secret;
}

/** Does `secret` match one of the owner's unexpired secrets? Compared in constant time. */
export async function ownerSecretMatches(
  ctx: Context,
  ownerType: SecretOwnerType,
  ownerId: string | undefined,
  secret: string,
  now = Date.now(),
): Promise<boolean> {
  const hashes = ownerId
    ? (
        await ctx.store.db
          .selectFrom('credential_secrets')
          .select('secret_hash')
          .where('owner_type', '=', ownerType)
          .where('owner_id', '=', ownerId)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
          .execute()
      ).map((r) => r.secret_hash)
    : [];
  return secretMatches(ctx.master.pepper, secret, hashes);
}
