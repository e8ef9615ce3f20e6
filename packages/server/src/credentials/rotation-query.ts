import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { tenantSettings } from '../settings/tenant-settings.js';
import type { Database } from '../store/schema.js';
import type { RotationOptions } from './rotation.js';

/**
 * Query parameters of every `…/secret` regeneration: how long the previous secret keeps working
 * (default: the tenant's `credentials.rotationOverlapSeconds`, 0 unless changed) and an optional
 * expiry for the new one.
 */
export const RotationQuery = Type.Object({
  overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_592_000 })),
  expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 63_072_000 })),
});

/** Rotation options from the query, with the tenant's default overlap. */
export async function rotationOptions(
  db: Kysely<Database>,
  tenantId: number,
  query: Static<typeof RotationQuery>,
): Promise<RotationOptions> {
  const overlapSec = query.overlapSeconds ?? (await tenantSettings(db, tenantId)).rotationOverlapSec;
  return { overlapSec, expiresInSec: query.expiresInSeconds };
}
