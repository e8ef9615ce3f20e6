import { roleByName, type ScopeRef } from '@tessera/guard';
import type { Kysely } from 'kysely';
import { invalidField } from '../../errors/registry.js';
import { tenantScope } from '../../scopes/ancestry.js';
import type { Database } from '../../store/schema.js';

/** Roles the seed gives per project ("Application | Projects"); every other role applies tenant-wide. */
const PROJECT_ROLE_IDS = new Set(
  ['research_manager', 'researcher', 'L2 researcher', 'ml_engineer'].map((name) => roleByName(name)?.id),
);

/** A role at a scope, derived from the seed's view. */
export interface SeedGrant {
  roleId: number;
  scope: ScopeRef;
}

/**
 * Turns the seed's view of an application — `roles` (legacy or display names: `researcher`,
 * `Editor`, `Administrator`, …) and `projects` (ids or names) — into the access rules that are
 * actually stored: Researcher-like roles on each project, the others on the tenant.
 *
 * @example
 * ```ts
 * await grantsFromSeedView(db, 1, ['researcher'], ['7'])
 * // [{ roleId: 5, scope: { type: 'project', id: '7' } }]
 * ```
 */
export async function grantsFromSeedView(
  db: Kysely<Database>,
  tenantId: number,
  roles: readonly string[],
  projects: readonly (string | number)[],
): Promise<SeedGrant[]> {
  const projectIds = await resolveProjects(db, tenantId, projects);
  const grants: SeedGrant[] = [];
  roles.forEach((name, index) => {
    const role = roleByName(name);
    if (!role) {
      throw invalidField(
        `roles[${index}]`,
        `unknown role "${name.slice(0, 64)}"; use admin, editor, researcher, research_manager, ml_engineer, viewer or department_admin`,
      );
    }
    const perProject = PROJECT_ROLE_IDS.has(role.id);
    if (perProject && projectIds.length === 0) {
      throw invalidField('projects', `role "${name}" applies to projects: give at least one project`);
    }
    if (perProject)
      projectIds.forEach((id) => grants.push({ roleId: role.id, scope: { type: 'project', id } }));
    else grants.push({ roleId: role.id, scope: tenantScope(tenantId) });
  });
  return dedupe(grants);
}

async function resolveProjects(
  db: Kysely<Database>,
  tenantId: number,
  projects: readonly (string | number)[],
) {
  const ids: string[] = [];
  for (const [index, ref] of projects.entries()) {
    const text = String(ref).trim();
    const byId = /^\d{1,15}$/.test(text);
    const row = await db
      .selectFrom('projects')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where(byId ? 'id' : 'name', '=', byId ? Number(text) : text)
      .executeTakeFirst();
    if (!row) throw invalidField(`projects[${index}]`, `project "${text.slice(0, 64)}" does not exist`);
    ids.push(String(row.id));
  }
  return ids;
}

function dedupe(grants: SeedGrant[]): SeedGrant[] {
  const seen = new Set<string>();
  return grants.filter((g) => {
    const key = `${g.roleId}/${g.scope.type}/${g.scope.id}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
