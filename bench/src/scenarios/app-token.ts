import type { BenchOptions } from '../options.js';
import { pickCountingFirsts, type Scenario } from '../scenario.js';

/** The id of the app_token scenario for a store and an application count (ratios refer to it). */
export const appTokenId = (store: string, apps: number) => `v1.app_token.${store}.${apps}`;

/** The same scenario on the `--baseline` build. */
export const baselineId = (id: string) => `${id}.baseline`;

/**
 * `POST /api/v1/token` with `grantType: app_token`, the seed's request, on each store and each
 * application count. Every request names a random seeded application with its own secret, so
 * lookups spread over the whole table. Before its warm-up the harness names every application once
 * (the first pass, `run.ts`), each request a credential-cache miss, and reports that pass's rate; the
 * share of later requests naming an application for the first time on that server is counted too
 * (`firstShare`). With `--baseline`, each runs on that build too.
 */
export function appTokenScenarios(options: BenchOptions): Scenario[] {
  const builds = options.baselineMain ? [false, true] : [false];
  return options.stores.flatMap((store) =>
    options.appCounts.flatMap((apps) => builds.map((baseline) => appTokenScenario(store, apps, baseline))),
  );
}

function appTokenScenario(store: string, apps: number, baseline: boolean): Scenario {
  const id = appTokenId(store, apps);
  const label = `v1 app_token, ${store}, ${apps.toLocaleString('en-US')} apps`;
  return {
    id: baseline ? baselineId(id) : id,
    label: baseline ? `${label} (baseline build)` : label,
    target: `tessera/${store}/${apps}${baseline ? '/baseline' : ''}`,
    halfRate: true,
    prepare: async (target) => {
      if (target.kind !== 'tessera') return { unavailable: 'needs a Tessera target' };
      const bodies = target.tessera.apps.map((a) =>
        JSON.stringify({ grantType: 'app_token', AppId: a.name, AppSecret: a.secret }),
      );
      const { next, eachOnce, uses } = pickCountingFirsts(bodies);
      return {
        kind: 'http',
        shape: {
          method: 'POST',
          path: '/api/v1/token',
          headers: { 'content-type': 'application/json', accept: '*/*' },
          next,
          firstUses: uses,
          firstPass: { requests: bodies.length, next: eachOnce },
        },
      };
    },
  };
}
