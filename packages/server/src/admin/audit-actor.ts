import type { FastifyRequest } from 'fastify';
import type { AuditEvent } from '../audit/audit-log.js';
import { principalOf } from '../http/authenticated.js';

/**
 * The audit fields every admin mutation shares: tenant, actor and source address.
 *
 * @example
 * ```ts
 * await recordAudit(trx, { ...auditContext(request), action: 'delete', resource, result: 'success' })
 * ```
 */
export function auditContext(request: FastifyRequest): Pick<AuditEvent, 'tenantId' | 'actor' | 'sourceIp'> {
  const principal = principalOf(request);
  return {
    tenantId: principal.tenantId,
    actor: { type: principal.subjectType, id: principal.claims.sub, name: principal.displayName },
    sourceIp: request.ip,
  };
}
