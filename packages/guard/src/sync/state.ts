import type { AccessTokenClaims } from '../token/claims.js';
import { issuedAtMs } from '../token/claims.js';
import type { ScopeRef } from '../authorization/evaluate.js';
import {
  ACCESS_KEY_PREFIX,
  type FeedChange,
  type FeedProject,
  type FeedRule,
  type FeedSnapshot,
  type FeedSubject,
} from './wire.js';

/** What {@link SyncedState} derives from one verified claims object, kept while that object lives. */
interface Derived {
  subjectKey: string;
  issuedAt: number;
  /** The rules of {@link rulesFrom}, the index they were read from: a rule change replaces the index. */
  rules?: FeedRule[];
  rulesFrom?: Map<string, FeedRule[]>;
}

/**
 * The tenant's access rules, org hierarchy and revocation state, held in memory and kept current
 * from the control plane's change feed. Every lookup is a map access.
 *
 * @example
 * ```ts
 * const state = new SyncedState()
 * state.applySnapshot(snapshot)
 * state.isRevoked(claims) // false
 * ```
 */
export class SyncedState {
  private snapshot: FeedSnapshot | undefined;
  private subjects = new Map<string, FeedSubject>();
  private rules = new Map<number, FeedRule>();
  private rulesBySubject = new Map<string, FeedRule[]>();
  private projects = new Map<string, FeedProject>();
  private departmentClusters = new Map<string, string | null>();
  // The verifier's cache hands the same claims object to every request with the same token, so what
  // is derived from it is worked out once per token instead of once per request (bench/README.md,
  // eleventh session). Pure functions of the claims, except the rules: those are checked against the
  // index they came from, which every rule change replaces (reindexRules).
  private readonly derived = new WeakMap<AccessTokenClaims, Derived>();
  cursor = 0;

  /** Has a snapshot been applied? */
  get synced(): boolean {
    return this.snapshot !== undefined;
  }

  /** The snapshot's identity fields (tenant, cluster, issuer, audience); undefined before the first sync. */
  get identity(): Pick<FeedSnapshot, 'tenantId' | 'clusterId' | 'issuer' | 'audience'> | undefined {
    return this.snapshot;
  }

  /** Replaces everything with a snapshot. */
  applySnapshot(snapshot: FeedSnapshot): void {
    this.snapshot = snapshot;
    this.subjects = new Map(snapshot.subjects.map((s) => [`${s.type}:${s.id}`, s]));
    this.rules = new Map(snapshot.rules.map((r) => [r.id, r]));
    this.projects = new Map(snapshot.projects.map((p) => [p.id, p]));
    this.departmentClusters = new Map(snapshot.departments.map((d) => [d.id, d.clusterId]));
    this.reindexRules();
    this.cursor = snapshot.cursor;
  }

  /** Applies one change; returns false when the change needs a fresh snapshot instead. */
  applyChange(change: FeedChange): boolean {
    switch (change.kind) {
      case 'subject': {
        const { kind: _kind, cursor: _cursor, ...subject } = change as FeedChange & { cursor?: number };
        this.subjects.set(`${change.type}:${change.id}`, subject as FeedSubject);
        return true;
      }
      case 'rule-created':
        this.rules.set(change.rule.id, change.rule);
        this.reindexRules();
        return true;
      case 'rule-deleted':
        this.rules.delete(change.ruleId);
        this.reindexRules();
        return true;
      case 'keys':
        return true;
      case 'resync':
        return false;
    }
  }

  /**
   * Is the token revoked? True when its subject is unknown, disabled or deleted, when it was minted
   * before the subject's `validAfter`, when it belongs to another tenant, or when it was minted from
   * an access key that is gone, belongs to someone else or was regenerated since.
   */
  isRevoked(claims: AccessTokenClaims): boolean {
    if (!this.snapshot || claims.tenant_id !== this.snapshot.tenantId) return true;
    const { issuedAt, subjectKey } = this.derivedOf(claims);
    const subject = this.subjects.get(subjectKey);
    if (!subject || subject.deleted || !subject.enabled || issuedAt < subject.validAfter) return true;
    if (claims.subject_type !== 'user' || !claims.client_id.startsWith(ACCESS_KEY_PREFIX)) return false;
    const key = this.subjects.get(`access-key:${claims.client_id}`);
    return !key || key.deleted === true || key.userId !== claims.sub || issuedAt < key.validAfter;
  }

  /** The access rules that apply to the token's subject (users by email and groups). Frozen: shared by the token's requests. */
  rulesFor(claims: AccessTokenClaims): FeedRule[] {
    const derived = this.derivedOf(claims);
    if (derived.rules && derived.rulesFrom === this.rulesBySubject) return derived.rules;
    const keys =
      claims.subject_type === 'user'
        ? [`user:${claims.email ?? ''}`, ...(claims.groups ?? []).map((g) => `group:${g}`)]
        : [derived.subjectKey];
    derived.rules = Object.freeze(keys.flatMap((k) => this.rulesBySubject.get(k) ?? [])) as FeedRule[];
    derived.rulesFrom = this.rulesBySubject;
    return derived.rules;
  }

  /** Projects this cluster serves (directly or through their department). */
  servedProjects(): FeedProject[] {
    const clusterId = this.snapshot?.clusterId;
    return [...this.projects.values()].filter((p) => this.clusterOf(p) === clusterId);
  }

  /** A project by id, when this cluster serves it. */
  servedProject(id: string): FeedProject | undefined {
    const p = this.projects.get(id);
    return p && this.clusterOf(p) === this.snapshot?.clusterId ? p : undefined;
  }

  /** The project's scope and every scope containing it, innermost first (input of `isAllowed`). */
  ancestryOf(project: FeedProject): ScopeRef[] {
    const out: ScopeRef[] = [{ type: 'project', id: project.id }];
    if (project.departmentId) out.push({ type: 'department', id: project.departmentId });
    const cluster = this.clusterOf(project);
    if (cluster) out.push({ type: 'cluster', id: cluster });
    if (this.snapshot) out.push({ type: 'tenant', id: String(this.snapshot.tenantId) });
    return out;
  }

  private derivedOf(claims: AccessTokenClaims): Derived {
    let derived = this.derived.get(claims);
    if (!derived) {
      derived = { subjectKey: `${claims.subject_type}:${claims.sub}`, issuedAt: issuedAtMs(claims) };
      this.derived.set(claims, derived);
    }
    return derived;
  }

  private clusterOf(p: FeedProject): string | null {
    return p.clusterId ?? (p.departmentId ? (this.departmentClusters.get(p.departmentId) ?? null) : null);
  }

  private reindexRules(): void {
    const index = new Map<string, FeedRule[]>();
    for (const rule of this.rules.values()) {
      const key = `${rule.subjectType}:${rule.subjectId}`;
      index.set(key, [...(index.get(key) ?? []), rule]);
    }
    this.rulesBySubject = index;
  }
}
