import { recordAudit } from '../audit/audit-log.js';
import { DEFAULT_TENANT_ID } from '../bootstrap/bootstrap.js';
import type { Context } from '../context.js';
import { createSigningKey } from './key-ring.js';

/** Who asked for a rotation, for the audit log. */
export interface RotationActor {
  type: string;
  id?: string | null;
  name?: string | null;
  sourceIp?: string;
}

/**
 * Rotates the signing key: a new key signs from now on, the old one stays in the JWKS until every
 * token it signed has expired. Runs under the store's cross-process lock and, unless `force`,
 * only when the active key is older than `olderThanMs` — so replicas sharing a database rotate once.
 * Returns the new kid, or undefined when nothing was due.
 *
 * @example
 * ```ts
 * await rotateSigningKey(ctx, { type: 'user', id, name }, { force: true })
 * ```
 */
export async function rotateSigningKey(
  ctx: Context,
  actor: RotationActor,
  options: { force: boolean; olderThanMs?: number },
): Promise<string | undefined> {
  const kid = await ctx.store.exclusive(async (db) => {
    const current = await db
      .selectFrom('signing_keys')
      .select(['kid', 'created_at'])
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    const due = options.force || !current || Date.now() - current.created_at >= (options.olderThanMs ?? 0);
    if (!due) return undefined;
    const created = await createSigningKey(db, ctx.master, ctx.config.signingAlgorithm);
    await recordAudit(db, {
      tenantId: DEFAULT_TENANT_ID,
      actor: { type: actor.type, id: actor.id, name: actor.name },
      action: 'signing-key.rotate',
      resource: { type: 'signing-key', id: created },
      result: 'success',
      sourceIp: actor.sourceIp,
      details: { retired: current?.kid ?? null, scheduled: !options.force },
    });
    return created;
  });
  await ctx.keys.reload();
  return kid;
}

/**
 * Starts scheduled rotation (`TESSERA_KEY_ROTATION_INTERVAL`; 0 disables it). Every tick also
 * reloads the key ring, so a key another replica created is picked up. Returns a stop function.
 *
 * @example
 * ```ts
 * const stop = startKeyRotation(ctx)
 * ```
 */
export function startKeyRotation(ctx: Context): () => void {
  const intervalMs = ctx.config.keyRotationIntervalSec * 1000;
  const tickMs = intervalMs > 0 ? Math.min(60_000, Math.max(500, intervalMs / 4)) : 60_000;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const work =
      intervalMs > 0
        ? rotateSigningKey(
            ctx,
            { type: 'system', name: 'scheduled rotation' },
            { force: false, olderThanMs: intervalMs },
          )
        : ctx.keys.reload();
    work
      .then((kid) => {
        if (typeof kid === 'string') ctx.log.info({ kid }, 'signing key rotated on schedule');
      })
      .catch((err: unknown) => ctx.log.error({ err }, 'signing key rotation failed'))
      .finally(() => {
        running = false;
      });
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
