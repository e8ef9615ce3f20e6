import type { FeedProject, SyncedState } from '@tessera/guard';
import type { WorkloadKind, WorkloadRecord } from '../store/store.js';

const TYPES: Record<WorkloadKind, { type: string; category: string }> = {
  trainings: { type: 'training', category: 'Train' },
  workspaces: { type: 'workspace', category: 'Build' },
  inferences: { type: 'inference', category: 'Deploy' },
};

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** The spec's `Workload` (the `/api/v1/workloads` list and get). */
export function toWorkload(w: WorkloadRecord, project: FeedProject | undefined, state: SyncedState) {
  const identity = state.identity;
  return {
    type: TYPES[w.kind].type,
    name: w.name,
    id: w.id,
    source: 'Control-plane',
    priority: null,
    priorityClassName: '',
    clusterId: identity?.clusterId ?? '',
    projectName: project?.name ?? '',
    projectId: w.projectId,
    departmentName: '',
    departmentId: project?.departmentId ?? '',
    namespace: `runai-${project?.name ?? w.projectId}`,
    createdAt: iso(w.createdAt),
    submittedBy: w.createdBy,
    phase: w.phase,
    conditions: [],
    k8sPhase: w.phase,
    tenantId: identity?.tenantId ?? 0,
    runningPods: w.phase === 'Running' ? 1 : 0,
    phaseUpdatedAt: iso(w.phaseUpdatedAt),
    k8sPhaseUpdatedAt: iso(w.phaseUpdatedAt),
    updatedAt: iso(w.updatedAt),
    deletedAt: isoOrNull(w.deletedAt),
    completedAt: isoOrNull(w.completedAt),
    category: TYPES[w.kind].category,
  };
}

/** The spec's `Training1` / `Workspace1` / `Inference1` (create and get of one kind). */
export function toKindResponse(w: WorkloadRecord, project: FeedProject | undefined, state: SyncedState) {
  return {
    name: w.name,
    requestedName: w.name,
    workloadId: w.id,
    projectId: w.projectId,
    departmentId: project?.departmentId ?? undefined,
    clusterId: state.identity?.clusterId ?? '',
    createdBy: w.createdBy,
    createdAt: iso(w.createdAt),
    deletedAt: isoOrNull(w.deletedAt),
    desiredPhase: w.desiredPhase,
    actualPhase: w.phase,
    spec: JSON.parse(w.spec) as unknown,
  };
}
