import type { Action, FeedProject, GuardPrincipal } from '@tessera/guard';
import type { ClusterContext } from '../context.js';
import { ClusterError } from '../http/errors.js';
import type { WorkloadRecord } from '../store/store.js';

/**
 * The project of a workload request, when this cluster serves it and the caller may do `action` on
 * `resourceType` there. 400 for a project this cluster does not serve, 403 without permission.
 *
 * @example
 * ```ts
 * const project = authorizeProject(ctx, principal, body.projectId, 'trainings', 'create')
 * ```
 */
export function authorizeProject(
  ctx: ClusterContext,
  principal: GuardPrincipal,
  projectId: string,
  resourceType: string,
  action: Action,
): FeedProject {
  const project = ctx.guard.state.servedProject(projectId);
  if (!project)
    throw new ClusterError(400, `projectId: project ${projectId.slice(0, 32)} is not served by this cluster`);
  ctx.guard.require(principal, resourceType, action, ctx.guard.state.ancestryOf(project));
  return project;
}

/** A live (not deleted) workload, optionally of one kind, or 404. */
export function findWorkload(ctx: ClusterContext, id: string, kind?: WorkloadRecord['kind']): WorkloadRecord {
  const w = ctx.store.get(id);
  if (!w || w.deletedAt !== null || (kind && w.kind !== kind)) {
    throw new ClusterError(404, `workload ${id.slice(0, 64)} not found`);
  }
  return w;
}

/** Records a phase reported by the executor. */
export function recordPhase(ctx: Pick<ClusterContext, 'store'>, id: string, phase: string): void {
  const now = Date.now();
  ctx.store.update(id, {
    phase,
    phaseUpdatedAt: now,
    updatedAt: now,
    ...(phase === 'Completed' || phase === 'Failed' ? { completedAt: now } : {}),
  });
}
