import { TesseraApiError, type RolePermission, type SubjectType } from '@tessera/client';
import { api } from './api.js';
import type { SignedInSubject } from './auth/session.js';

/** What the signed-in subject may do: resource type → actions. */
export type PermissionMap = ReadonlyMap<string, ReadonlySet<string>>;

function toMap(list: readonly RolePermission[] | readonly { resourceType: string; actions: string[] }[]) {
  const map = new Map<string, Set<string>>();
  for (const p of list) {
    const set = map.get(p.resourceType) ?? new Set<string>();
    for (const action of p.actions) set.add(action);
    map.set(p.resourceType, set);
  }
  return map;
}

/**
 * Loads `GET /api/v1/authorization/permissions` (the spec's summary of the caller's permissions).
 * A server without that endpoint (404) is asked for the caller's own access rules and their roles
 * instead; anything else that fails means no permissions, so nothing is offered that would fail.
 *
 * @example
 * ```ts
 * const perms = await loadPermissions(subject)
 * can(perms, 'apps', 'create')
 * ```
 */
export async function loadPermissions(subject: SignedInSubject): Promise<PermissionMap> {
  let map: Map<string, Set<string>>;
  try {
    map = toMap(
      await api.request<{ resourceType: string; actions: string[] }[]>(
        'GET',
        '/api/v1/authorization/permissions',
      ),
    );
  } catch (err) {
    if (!(err instanceof TesseraApiError) || err.status !== 404) throw err;
    map = await fromAccessRules(subject);
  }
  if (!map.has('audit') && (await mayReadAuditLog())) map.set('audit', new Set(['read']));
  return map;
}

/** Without the summary endpoint: the subject's own access rules and their roles' permissions. */
async function fromAccessRules(subject: SignedInSubject): Promise<Map<string, Set<string>>> {
  // Users' access rules name them by email; applications and service accounts by id.
  const ids = [subject.id, ...(subject.email ? [subject.email] : [])];
  const [rules, roles] = await Promise.all([
    api.accessRules.list({ subjectType: subject.subjectType as SubjectType, subjectIds: ids, limit: 500 }),
    api.roles.list(),
  ]);
  const mine = new Set(rules.accessRules.map((r) => r.roleId));
  return toMap(roles.filter((r) => mine.has(r.id)).flatMap((r) => r.permissions));
}

/**
 * The spec's permission summary has no `audit` resource type (the audit log is a Tessera
 * extension), so the UI asks the audit log itself, for an empty time range.
 */
async function mayReadAuditLog(): Promise<boolean> {
  const end = new Date();
  const start = new Date(end.getTime() - 1000);
  const range = `start=${encodeURIComponent(start.toISOString())}&end=${encodeURIComponent(end.toISOString())}`;
  try {
    await api.request('GET', `/api/v1/audit/log?${range}&numberOfSamples=0`);
    return true;
  } catch {
    return false;
  }
}

/** May the subject do `action` on `resourceType`? */
export function can(perms: PermissionMap, resourceType: string, action: string): boolean {
  return perms.get(resourceType)?.has(action) ?? false;
}
