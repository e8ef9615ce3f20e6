import type { RuleGrant, ScopeType } from '../authorization/evaluate.js';

/** Subject kinds whose tokens the feed tracks. */
export type FeedSubjectType = 'user' | 'app' | 'service-account' | 'access-key';

/**
 * Client ids of access keys start with this. A user token whose `client_id` has it was minted from
 * that key and dies with it (deleted or regenerated), though the user lives on.
 */
export const ACCESS_KEY_PREFIX = 'ak-';

/**
 * What a resource server must know about a subject to decide whether its tokens still hold:
 * tokens minted before `validAfter` (epoch ms), or of a disabled or deleted subject, are revoked.
 */
export interface FeedSubject {
  type: FeedSubjectType;
  id: string;
  /** Users only: access rules name users by email. */
  email?: string;
  /** Access keys only (their `id` is the key's client id): the user the key acts as. */
  userId?: string;
  enabled: boolean;
  deleted?: boolean;
  validAfter: number;
}

/** An access rule as the feed carries it. */
export interface FeedRule extends RuleGrant {
  id: number;
  subjectType: 'user' | 'app' | 'service-account' | 'group';
  subjectId: string;
}

/** An org unit the cluster serves or that contains what it serves. */
export interface FeedDepartment {
  id: string;
  name: string;
  clusterId: string | null;
}

/** A project; the cluster serves projects whose (or whose department's) cluster is itself. */
export interface FeedProject {
  id: string;
  name: string;
  departmentId: string | null;
  clusterId: string | null;
}

/**
 * The full state a cluster starts from (`GET /api/v1/cluster-feed/snapshot`). `cursor` is the id of
 * the last change already reflected; the cluster then asks for changes after it.
 *
 * @example
 * ```ts
 * const snap: FeedSnapshot = await (await fetch(`${cp}/api/v1/cluster-feed/snapshot`, { headers })).json()
 * ```
 */
export interface FeedSnapshot {
  cursor: number;
  tenantId: number;
  clusterId: string;
  issuer: string;
  audience: string;
  subjects: FeedSubject[];
  rules: FeedRule[];
  departments: FeedDepartment[];
  projects: FeedProject[];
}

/**
 * One entry of the append-only change feed. `resync` asks the reader to fetch a fresh snapshot
 * (org hierarchy changes, anything too big to describe as a delta).
 */
export type FeedChange =
  | ({ kind: 'subject' } & FeedSubject)
  | { kind: 'rule-created'; rule: FeedRule }
  | { kind: 'rule-deleted'; ruleId: number }
  | { kind: 'keys' }
  | { kind: 'resync' };

/** A change with its cursor position. */
export type FeedEntry = FeedChange & { cursor: number };

/**
 * `GET /api/v1/cluster-feed/changes?after=N`: changes after N (long-poll). `resync: true` means
 * the reader's cursor is not in the feed any more (a gap, or a different store): take a snapshot.
 */
export interface FeedChangesResponse {
  cursor: number;
  changes: FeedEntry[];
  resync?: boolean;
}

/** Re-exported for the scope of a rule. */
export type { ScopeType };
