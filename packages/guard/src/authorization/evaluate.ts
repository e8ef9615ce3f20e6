import { roleById, type Action, type Role } from './roles.js';

/** Scope kinds, as in the spec's `ScopeType` enum. */
export type ScopeType = 'system' | 'tenant' | 'cluster' | 'department' | 'project';

/** A point in the scope tree. */
export interface ScopeRef {
  type: ScopeType;
  id: string;
}

/** The part of an access rule that decides what it grants. */
export interface RuleGrant {
  roleId: number;
  scopeType: ScopeType;
  scopeId: string;
}

/**
 * A question to the authorizer. `ancestry` is the target scope followed by every scope that contains
 * it, innermost first: `[project 7, department 2, cluster <uuid>, tenant 1]`.
 */
export interface AccessQuestion {
  resourceType: string;
  action: Action;
  ancestry: readonly ScopeRef[];
}

/** Resolves role ids to roles; predefined roles by default. */
export type RoleLookup = (id: number) => Role | undefined;

function ruleCovers(rule: RuleGrant, ancestry: readonly ScopeRef[]): boolean {
  if (rule.scopeType === 'system') return true;
  return ancestry.some((s) => s.type === rule.scopeType && s.id === rule.scopeId);
}

function roleAllows(role: Role | undefined, resourceType: string, action: Action): boolean {
  return !!role?.permissions.some((p) => p.resourceType === resourceType && p.actions.includes(action));
}

/**
 * May a subject holding `rules` perform `action` on `resourceType` at the target scope?
 * A rule on a scope applies to everything under it. The same function runs on the control plane
 * and in every cluster, so both answer alike.
 *
 * @example
 * ```ts
 * isAllowed(rules, { resourceType: 'trainings', action: 'create',
 *   ancestry: [{ type: 'project', id: '7' }, { type: 'department', id: '2' }, { type: 'tenant', id: '1' }] })
 * ```
 */
export function isAllowed(
  rules: readonly RuleGrant[],
  question: AccessQuestion,
  roles: RoleLookup = roleById,
): boolean {
  return rules.some(
    (rule) =>
      ruleCovers(rule, question.ancestry) &&
      roleAllows(roles(rule.roleId), question.resourceType, question.action),
  );
}

/**
 * Would granting `role` at the scope described by `ancestry` give away anything the grantor lacks?
 * Returns the first permission the grantor does not hold there, or `undefined` when the grant is safe.
 *
 * @example
 * ```ts
 * const missing = missingForGrant(myRules, roleById(1)!, [{ type: 'tenant', id: '1' }])
 * if (missing) throw new Error(`cannot grant ${missing.resourceType}:${missing.action}`)
 * ```
 */
export function missingForGrant(
  grantorRules: readonly RuleGrant[],
  role: Role,
  ancestry: readonly ScopeRef[],
  roles: RoleLookup = roleById,
): { resourceType: string; action: Action } | undefined {
  for (const permission of role.permissions) {
    for (const action of permission.actions) {
      if (!isAllowed(grantorRules, { resourceType: permission.resourceType, action, ancestry }, roles)) {
        return { resourceType: permission.resourceType, action };
      }
    }
  }
  return undefined;
}
