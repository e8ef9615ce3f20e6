import type { WorkloadRecord } from '../store/store.js';

/** Reports a phase change back to the store. */
export type PhaseSink = (id: string, phase: string) => void;

/**
 * What runs workloads. The Cluster API records intent (create, suspend, resume, delete) and the
 * executor moves phases; a Kubernetes executor would implement the same four calls.
 *
 * @example
 * ```ts
 * const executor: Executor = createLocalExecutor({ pendingMs: 1000, runMs: 60_000 }, onPhase)
 * executor.start(workload)
 * ```
 */
export interface Executor {
  /** Starts (or restarts, after resume or a process restart) a workload from Pending. */
  start(workload: WorkloadRecord): void;
  /** Stops a running or pending workload; it ends Stopped. */
  suspend(id: string): void;
  /** Stops a workload for good. */
  remove(id: string): void;
  /** Cancels every timer (shutdown). */
  close(): void;
}
