import type { Insertable, Kysely } from 'kysely';
import type { AuditEventTable, Database } from '../store/schema.js';

/** One audit event. `reason` says why a failure failed; it never holds a secret. */
export interface AuditEvent {
  tenantId: number;
  actor: { type: string; id?: string | null; name?: string | null };
  action: string;
  resource: { type: string; id?: string | null; name?: string | null };
  result: 'success' | 'failure';
  reason?: string;
  sourceIp?: string;
  details?: Record<string, unknown>;
}

/**
 * The columns of an `audit_events` row that {@link auditRows} fills, for statements that name
 * them one by one (token/journal-sqlite.ts).
 */
export const AUDIT_COLUMNS = [
  'tenant_id',
  'timestamp',
  'actor_type',
  'actor_id',
  'actor_name',
  'action',
  'resource_type',
  'resource_id',
  'resource_name',
  'result',
  'reason',
  'source_ip',
  'details',
] as const satisfies readonly (keyof Insertable<AuditEventTable>)[];

/**
 * Appends an event to the audit log. Pass the transaction that makes the change, so the change and
 * its event commit together or not at all.
 *
 * @example
 * ```ts
 * await recordAudit(trx, { tenantId, actor, action: 'create', resource: { type: 'apps', id, name }, result: 'success' })
 * ```
 */
export async function recordAudit(db: Kysely<Database>, event: AuditEvent, now = Date.now()): Promise<void> {
  await db.insertInto('audit_events').values(auditRow(event, now)).execute();
}

/**
 * The `audit_events` rows of several events, for a caller that inserts them in its own statement.
 *
 * @example
 * ```ts
 * await db.insertInto('audit_events').values(auditRows([{ event, at: Date.now() }])).execute()
 * ```
 */
export function auditRows(
  events: ReadonlyArray<{ event: AuditEvent; at: number }>,
): Insertable<AuditEventTable>[] {
  return events.map(({ event, at }) => auditRow(event, at));
}

function auditRow(event: AuditEvent, now: number): Insertable<AuditEventTable> {
  return {
    tenant_id: event.tenantId,
    timestamp: now,
    actor_type: event.actor.type,
    actor_id: event.actor.id ?? null,
    actor_name: event.actor.name ?? null,
    action: event.action,
    resource_type: event.resource.type,
    resource_id: event.resource.id ?? null,
    resource_name: event.resource.name ?? null,
    result: event.result,
    reason: event.reason ?? null,
    source_ip: event.sourceIp ?? null,
    details: event.details ? JSON.stringify(event.details) : null,
  };
}
