import type { BenchOptions } from '../options.js';
import { pick, type Scenario } from '../scenario.js';

/** The id of the app_token scenario for a store and an application count (ratios refer to it). */
export const appTokenId = (store: string, apps: number) => `v1.app_token.${store}.${apps}`;

/**
 * `POST /api/v1/token` with `grantType: app_token`, the seed's request, on each store and each
 * application count. Every request names a random seeded application with its own secret, so
 * lookups spread over the whole table.
 */
export function appTokenScenarios(options: BenchOptions): Scenario[] {
  return options.stores.flatMap((store) =>
    options.appCounts.map((apps): Scenario => ({
      id: appTokenId(store, apps),
      label: `v1 app_token, ${store}, ${apps.toLocaleString('en-US')} apps`,
      target: `tessera/${store}/${apps}`,
      halfRate: true,
      prepare: async (target) => {
        if (target.kind !== 'tessera') return { unavailable: 'needs a Tessera target' };
        const bodies = target.tessera.apps.map((a) =>
          JSON.stringify({ grantType: 'app_token', AppId: a.name, AppSecret: a.secret }),
        );
        return {
          kind: 'http',
          shape: {
            method: 'POST',
            path: '/api/v1/token',
            headers: { 'content-type': 'application/json', accept: '*/*' },
            next: () => pick(bodies),
          },
        };
      },
    })),
  );
}
