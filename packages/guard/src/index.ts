export { GuardError, type GuardErrorCode } from './errors.js';
export { issuedAtMs, type AccessTokenClaims, type SubjectType } from './token/claims.js';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './token/verifier.js';
export {
  PREDEFINED_ROLES,
  RESOURCE_TYPES,
  WORKLOAD_RESOURCES,
  roleById,
  roleByName,
  type Action,
  type Permission,
  type Role,
} from './authorization/roles.js';
export {
  isAllowed,
  missingForGrant,
  type AccessQuestion,
  type RoleLookup,
  type RuleGrant,
  type ScopeRef,
  type ScopeType,
} from './authorization/evaluate.js';
