import type { Scenario } from '../scenario.js';

/**
 * Token introspection (RFC 7662) of a valid access token, the caller authenticating as the seeded
 * application (`client_secret_basic`). The endpoint is taken from discovery; included only when
 * discovery names one and it answers the probe with `active: true`.
 */
export function introspectionScenario(target: string): Scenario {
  return {
    id: 'introspection',
    label: 'introspection (RFC 7662)',
    target,
    prepare: async (t) => {
      if (t.kind !== 'tessera') return { unavailable: 'needs a Tessera target' };
      const base = t.tessera.url;
      const discovery = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as {
        introspection_endpoint?: string;
      };
      if (!discovery.introspection_endpoint)
        return { unavailable: 'discovery names no introspection_endpoint' };
      const path = new URL(discovery.introspection_endpoint).pathname;
      const app = t.tessera.apps[0];
      if (!app) return { unavailable: 'no seeded application' };
      const minted = await fetch(`${base}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grantType: 'app_token', AppId: app.name, AppSecret: app.secret }),
      });
      const { accessToken } = (await minted.json()) as { accessToken: string };
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(app.id)}:${encodeURIComponent(app.secret)}`).toString('base64')}`,
      };
      const body = new URLSearchParams({ token: accessToken }).toString();
      const probe = await fetch(base + path, { method: 'POST', headers, body });
      const text = await probe.text();
      if (probe.status !== 200 || !text.includes('"active":true'))
        return { unavailable: `probe of ${path} answered ${probe.status} ${text.slice(0, 80)}` };
      return { kind: 'http', shape: { method: 'POST', path, headers, body } };
    },
  };
}
