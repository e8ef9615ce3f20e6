import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit-log.js';
import { rotateSecret, type RotationOptions } from '../credentials/rotation.js';
import { publishSubject } from '../feed/publish.js';
import type { Database, SecretOwnerType } from '../store/schema.js';
import { auditContext } from './audit-actor.js';
import { deleteRulesOf, deleteSecrets } from './subject-cleanup.js';

/**
 * A kind of subject that logs in with secrets of its own (application, service account, access
 * key), as its routes name it: the owner type of its secrets (also its type in the change feed) and
 * the resource type of its audit records.
 */
export interface CredentialSubjectKind<T extends SecretOwnerType = SecretOwnerType> {
  type: T;
  auditType: string;
}

/** The columns of a credential subject's row that the operations below read. */
export interface CredentialSubjectRow {
  id: string;
  tenant_id: number;
  name: string;
  client_id: string;
}

const TABLE = {
  app: 'applications',
  'service-account': 'service_accounts',
  'access-key': 'access_keys',
} as const;

/**
 * Gives the subject a new secret (returned, to be shown once). Without an overlap the previous
 * secret and every token minted before `now` stop at once, whether or not the new secret expires;
 * with one, both secrets work until it ends.
 *
 * @example
 * ```ts
 * const secret = await rotateSubjectSecret(trx, pepper, 'app', row, { overlapSec: 0 })
 * ```
 */
export async function rotateSubjectSecret(
  db: Kysely<Database>,
  pepper: Buffer,
  type: SecretOwnerType,
  row: { id: string; tenant_id: number },
  options: RotationOptions,
  now = Date.now(),
): Promise<string> {
  const secret = await rotateSecret(db, pepper, row.tenant_id, type, row.id, options, now);
  if (options.overlapSec > 0) return secret;
  // Access keys have no updated_at: they are only ever created, regenerated and deleted.
  if (type === 'access-key')
    await db.updateTable('access_keys').set({ tokens_valid_after: now }).where('id', '=', row.id).execute();
  else
    await db
      .updateTable(TABLE[type] as 'service_accounts')
      .set({ tokens_valid_after: now, updated_at: now })
      .where('id', '=', row.id)
      .execute();
  return secret;
}

/**
 * `POST …/secret`: rotates the subject's secret ({@link rotateSubjectSecret}), announces its
 * revocation state to clusters and audits `regenerate-secret`, in the caller's transaction.
 * `auditDetails` go into the audit record as they are (service accounts record the options).
 *
 * @example
 * ```ts
 * const options = await rotationOptions(db, p.tenantId, request.query)
 * const secret = await db.transaction().execute((trx) =>
 *   regenerateSubjectSecret(trx, request, ctx.master.pepper, { type: 'app', auditType: 'apps' }, row, options),
 * )
 * ```
 */
export async function regenerateSubjectSecret(
  trx: Transaction<Database>,
  request: FastifyRequest,
  pepper: Buffer,
  kind: CredentialSubjectKind,
  row: CredentialSubjectRow,
  options: RotationOptions,
  auditDetails?: Record<string, unknown>,
): Promise<string> {
  const secret = await rotateSubjectSecret(trx, pepper, kind.type, row, options);
  await announce(trx, request, kind, row, 'regenerate-secret', auditDetails);
  return secret;
}

/**
 * Enables or disables an application or service account, announces it and audits it, in the
 * caller's transaction; returns the columns written. Disabling revokes outstanding tokens;
 * re-enabling does not bring them back.
 *
 * @example
 * ```ts
 * const patch = await setSubjectEnabled(trx, request, { type: 'app', auditType: 'apps' }, row, false)
 * ```
 */
export async function setSubjectEnabled(
  trx: Transaction<Database>,
  request: FastifyRequest,
  kind: CredentialSubjectKind<'app' | 'service-account'>,
  row: CredentialSubjectRow,
  enabled: boolean,
): Promise<{ enabled: number; updated_at: number; tokens_valid_after?: number }> {
  const now = Date.now();
  const patch = enabled
    ? { enabled: 1, updated_at: now }
    : { enabled: 0, updated_at: now, tokens_valid_after: now };
  await trx
    .updateTable(TABLE[kind.type] as 'service_accounts')
    .set(patch)
    .where('id', '=', row.id)
    .execute();
  await announce(trx, request, kind, row, enabled ? 'enable' : 'disable');
  return patch;
}

/**
 * Deletes the subject with its secrets and access rules, announces it and audits it, in the
 * caller's transaction.
 *
 * @example
 * ```ts
 * await deleteCredentialSubject(trx, request, { type: 'access-key', auditType: 'access-keys' }, row)
 * ```
 */
export async function deleteCredentialSubject(
  trx: Transaction<Database>,
  request: FastifyRequest,
  kind: CredentialSubjectKind,
  row: CredentialSubjectRow,
): Promise<void> {
  await deleteSecrets(trx, kind.type, [row.id]);
  // An access key acts with its user's rules; it holds none of its own.
  if (kind.type !== 'access-key') await deleteRulesOf(trx, row.tenant_id, kind.type, row.id);
  await trx
    .deleteFrom(TABLE[kind.type] as 'service_accounts')
    .where('id', '=', row.id)
    .execute();
  await announce(trx, request, kind, row, 'delete');
}

/** Clusters learn the subject's new revocation state from the feed; every change is audited. */
async function announce(
  trx: Transaction<Database>,
  request: FastifyRequest,
  kind: CredentialSubjectKind,
  row: CredentialSubjectRow,
  action: 'regenerate-secret' | 'enable' | 'disable' | 'delete',
  details?: Record<string, unknown>,
): Promise<void> {
  // Access keys are named by client id in the feed: that is what a token minted from one carries.
  await publishSubject(trx, row.tenant_id, kind.type, kind.type === 'access-key' ? row.client_id : row.id);
  await recordAudit(trx, {
    action,
    resource: { type: kind.auditType, id: row.id, name: row.name },
    result: 'success',
    details,
    ...auditContext(request),
  });
}
