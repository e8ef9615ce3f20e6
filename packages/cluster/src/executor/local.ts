import type { Executor, PhaseSink } from './executor.js';

/**
 * Runs workloads without Kubernetes: Pending for `pendingMs`, Running for `runMs`, then Completed.
 * Suspend stops the clock (Stopped); resume starts again from Pending.
 *
 * @example
 * ```ts
 * const executor = createLocalExecutor({ pendingMs: 1000, runMs: 60_000 }, (id, phase) => store.update(id, { phase }))
 * ```
 */
export function createLocalExecutor(
  timing: { pendingMs: number; runMs: number },
  report: PhaseSink,
): Executor {
  const timers = new Map<string, NodeJS.Timeout>();
  const cancel = (id: string) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
  };
  const schedule = (id: string, ms: number, fn: () => void) => {
    cancel(id);
    const timer = setTimeout(fn, ms);
    timer.unref();
    timers.set(id, timer);
  };
  return {
    start(workload) {
      report(workload.id, 'Pending');
      schedule(workload.id, timing.pendingMs, () => {
        report(workload.id, 'Running');
        schedule(workload.id, timing.runMs, () => {
          timers.delete(workload.id);
          report(workload.id, 'Completed');
        });
      });
    },
    suspend(id) {
      cancel(id);
      report(id, 'Stopped');
    },
    remove(id) {
      cancel(id);
      report(id, 'Deleted');
    },
    close() {
      for (const id of [...timers.keys()]) cancel(id);
    },
  };
}
