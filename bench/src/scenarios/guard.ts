import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../scenario.js';

const CLUSTER = fileURLToPath(new URL('../../../packages/cluster/package.json', import.meta.url));

/**
 * The guard on a cluster: a Cluster API request checked locally by `packages/guard` (issue #5).
 * Reported "not available" until that package exists and this file drives it.
 */
export function guardScenario(target: string): Scenario {
  return {
    id: 'guard.cluster',
    label: 'guard: Cluster API request (local check)',
    target,
    prepare: async () => ({
      unavailable: existsSync(CLUSTER)
        ? 'packages/cluster exists but bench/src/scenarios/guard.ts does not drive it yet'
        : 'packages/cluster (the cluster issue) does not exist yet',
    }),
  };
}
