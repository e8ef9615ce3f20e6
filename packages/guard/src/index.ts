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
export { createGuard, type Guard, type GuardOptions, type GuardPrincipal } from './guard.js';
export { fastifyGuard, guardPrincipalOf, type FastifyGuardOptions } from './fastify.js';
export { SyncedState } from './sync/state.js';
export { ACCESS_KEY_PREFIX } from './sync/wire.js';
export { startFeedSync, type FeedSync, type FeedSyncOptions } from './sync/feed-client.js';
export type {
  FeedChange,
  FeedChangesResponse,
  FeedDepartment,
  FeedEntry,
  FeedProject,
  FeedRule,
  FeedSnapshot,
  FeedSubject,
  FeedSubjectType,
} from './sync/wire.js';
