import type { CredentialCheck } from '../../credentials/app-credentials.js';
import type { Context } from '../../context.js';
import type { ApplicationTable } from '../../store/schema.js';
import type { GrantOutcome } from '../grant.js';

type AppRow = Pick<ApplicationTable, 'id' | 'name' | 'client_id' | 'tenant_id'>;

/** Turns an application credential check into a grant outcome (shared by app_token and client_credentials). */
export function appGrantOutcome(
  ctx: Context,
  presentedId: string,
  check: CredentialCheck<AppRow>,
): GrantOutcome {
  if (!check.ok) {
    return {
      ok: false,
      reason: check.reason,
      subjectType: 'app',
      subjectId: check.subject?.id,
      subjectName: check.subject?.name ?? presentedId,
    };
  }
  const app = check.subject;
  return {
    ok: true,
    subject: { id: app.id, type: 'app', tenantId: app.tenant_id, clientId: app.client_id },
    subjectName: app.name,
    lastLogin: { table: 'applications', id: app.id },
  };
}
