import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GuardBenchResult } from '../../guard.js';
import type { BenchOptions } from '../options.js';
import type { Scenario } from '../scenario.js';

const CLUSTER = fileURLToPath(new URL('../../../packages/cluster/package.json', import.meta.url));

/** The row with the guard in front of the Cluster API. */
export const GUARD_ON_ID = 'guard.cluster';
/** The row of the same Cluster API request with the guard switched off. */
export const GUARD_OFF_ID = 'guard.cluster.off';

/**
 * The guard on a cluster (issue #5): `bench/guard.ts`'s `runGuardBench` — one server process
 * serving the same Cluster API request with `packages/guard` in front (bearer JWT, revocation,
 * access rules of 1,000 applications, per-project permission) and with the guard off, in
 * rounds that reverse their order every other round — reported as two rows of the table, whose
 * ratio is the target (≥ 0.9). Both rows come from one run of the guard bench (started by whichever
 * row runs first); each side gets the run's duration in total, in 5 rounds (1 in `--quick`), after
 * the guard bench's own warm-up. Each row carries its rounds, so that the report takes the ratio as
 * the median of the rounds' ratios, as for the harness's own paired rounds.
 *
 * @example
 * ```ts
 * const [off, on] = guardScenarios(parseOptions(['--quick']))
 * ```
 */
export function guardScenarios(options: BenchOptions): Scenario[] {
  let run: Promise<GuardBenchResult> | undefined;
  const rounds = options.quick ? 1 : 5;
  const bench = () =>
    (run ??= import('../../guard.js').then(({ runGuardBench }) =>
      runGuardBench({ seconds: options.durationSec / rounds, rounds, connections: options.connections[0] }),
    ));
  const side = (which: 'off' | 'on'): Scenario => ({
    id: which === 'on' ? GUARD_ON_ID : GUARD_OFF_ID,
    label:
      which === 'on'
        ? 'guard on: Cluster API GET workload (JWT, revocation, rules, permission)'
        : 'guard off: the same Cluster API request, every caller allowed',
    target: 'none',
    prepare: async () => {
      if (!existsSync(CLUSTER))
        return { unavailable: 'packages/cluster (the cluster issue) does not exist yet' };
      return { kind: 'local', warmsItself: true, run: async () => measurement(await bench(), which) };
    },
  });
  return [side('off'), side('on')];
}

function measurement(result: GuardBenchResult, which: 'off' | 'on') {
  const side = result[which];
  return {
    rps: side.rps,
    p50: side.p50Ms,
    p99: side.p99Ms,
    requests: side.requests,
    errors: side.errors,
    // The guard's own rounds, so that its ratio is a median of per-round ratios like the others.
    rounds: result.rounds.map((round) => round[which]),
  };
}
