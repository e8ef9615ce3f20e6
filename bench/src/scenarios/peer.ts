import type { Scenario } from '../scenario.js';

export const PEER_CLIENT_ID = 'bench-client';
export const PEER_CLIENT_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** The peer: oidc-provider's `client_credentials` grant (`servers/peer-server.ts`), JWT ES256. */
export const peerScenario: Scenario = {
  id: 'peer',
  label: 'peer: oidc-provider 8 client_credentials',
  target: 'peer',
  halfRate: true,
  prepare: async () => ({
    kind: 'http',
    shape: {
      method: 'POST',
      path: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: PEER_CLIENT_ID,
        client_secret: PEER_CLIENT_SECRET,
      }).toString(),
    },
  }),
};
