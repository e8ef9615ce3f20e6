import type { AccessTokenClaims, RuleGrant, ScopeRef, Action } from '@tessera/guard';
import { isAllowed } from '@tessera/guard';
import { TesseraError } from '../errors/registry.js';

/**
 * The authenticated caller of an admin route: its verified claims and the access rules that apply
 * to it, loaded for this request so that a change takes effect at once.
 */
export interface Principal {
  claims: AccessTokenClaims;
  tenantId: number;
  subjectType: AccessTokenClaims['subject_type'];
  /** The id access rules name this subject by: the email for users, the id otherwise. */
  ruleSubjectId: string;
  /** For `createdBy` fields and audit events. */
  displayName: string;
  rules: RuleGrant[];
  /** A user still on a temporary password: only `/api/v1/me/password` is open to them. */
  mustChangePassword?: boolean;
}

/**
 * Throws FORBIDDEN unless the principal may do `action` on `resourceType` at the scope `ancestry`
 * describes.
 *
 * @example
 * ```ts
 * requirePermission(principal, 'apps', 'create', [tenantScope(principal.tenantId)])
 * ```
 */
export function requirePermission(
  principal: Principal,
  resourceType: string,
  action: Action,
  ancestry: readonly ScopeRef[],
): void {
  if (!isAllowed(principal.rules, { resourceType, action, ancestry })) {
    throw new TesseraError(
      'FORBIDDEN',
      `not permitted to ${action} ${resourceType} in ${describe(ancestry)}`,
    );
  }
}

/** Does the principal hold the permission (without throwing)? */
export function hasPermission(
  principal: Principal,
  resourceType: string,
  action: Action,
  ancestry: readonly ScopeRef[],
): boolean {
  return isAllowed(principal.rules, { resourceType, action, ancestry });
}

const describe = (ancestry: readonly ScopeRef[]) =>
  ancestry[0] ? `${ancestry[0].type} ${ancestry[0].id}` : 'scope';
