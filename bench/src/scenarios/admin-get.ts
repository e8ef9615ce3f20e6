import type { Scenario } from '../scenario.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../targets/tessera.js';

/**
 * An authenticated admin GET: `GET /api/v1/authorization/roles` with the administrator's bearer
 * token (signature check, revocation lookup, access-rule evaluation, response).
 */
export function adminGetScenario(target: string): Scenario {
  return {
    id: 'v1.admin_get',
    label: 'GET /api/v1/authorization/roles (bearer)',
    target,
    prepare: async (t) => {
      if (t.kind !== 'tessera') return { unavailable: 'needs a Tessera target' };
      const res = await fetch(`${t.tessera.url}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grantType: 'password', username: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      });
      const body = (await res.json()) as { accessToken?: string };
      if (res.status !== 200 || !body.accessToken)
        return { unavailable: `admin login answered ${res.status}` };
      const probe = await fetch(`${t.tessera.url}/api/v1/authorization/roles`, {
        headers: { authorization: `Bearer ${body.accessToken}` },
      });
      await probe.arrayBuffer();
      if (probe.status !== 200) return { unavailable: `probe answered ${probe.status}` };
      return {
        kind: 'http',
        shape: {
          method: 'GET',
          path: '/api/v1/authorization/roles',
          headers: { authorization: `Bearer ${body.accessToken}` },
        },
      };
    },
  };
}
