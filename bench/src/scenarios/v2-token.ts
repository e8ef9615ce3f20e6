import { pick, type Scenario } from '../scenario.js';

/**
 * `POST /api/v2/token` (OAuth 2.0, form-encoded, `client_secret_post`) `client_credentials` for the
 * seeded applications. Included only when the endpoint answers the probe with 200.
 */
export function v2TokenScenario(target: string): Scenario {
  return {
    id: 'v2.client_credentials',
    label: 'v2 client_credentials',
    target,
    halfRate: false,
    prepare: async (t) => {
      if (t.kind !== 'tessera') return { unavailable: 'needs a Tessera target' };
      const bodies = t.tessera.apps.map((a) =>
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: a.id,
          client_secret: a.secret,
        }).toString(),
      );
      const probe = await fetch(`${t.tessera.url}/api/v2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: bodies[0],
      });
      const text = await probe.text();
      if (probe.status !== 200) return { unavailable: `probe answered ${probe.status} ${text.slice(0, 80)}` };
      return {
        kind: 'http',
        shape: {
          method: 'POST',
          path: '/api/v2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          next: () => pick(bodies),
        },
      };
    },
  };
}
