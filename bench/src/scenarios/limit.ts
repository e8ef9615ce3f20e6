import { pick, type Scenario } from '../scenario.js';

/** Bodies shaped like the seed's request; the limit server parses them but checks nothing. */
const BODIES = Array.from({ length: 10 }, (_, i) =>
  JSON.stringify({ grantType: 'app_token', AppId: `bench-app-${i}`, AppSecret: `not-checked-${i}` }),
);

const prepare: Scenario['prepare'] = async () => ({
  kind: 'http',
  shape: {
    method: 'POST',
    path: '/api/v1/token',
    headers: { 'content-type': 'application/json', accept: '*/*' },
    next: () => pick(BODIES),
  },
});

/**
 * The physical limit as the issue defines it: bare node:http + jose signing the same ES256 token from
 * the same body (`servers/limit-server.ts`).
 */
export const limitScenario: Scenario = {
  id: 'limit',
  label: 'limit: node:http + jose ES256',
  target: 'limit',
  halfRate: true,
  prepare,
};

/**
 * The same limit signing with node:crypto, as Tessera does (keys/compact-sign.ts): without it the
 * ratio to the jose limit would credit Tessera with a faster signer, not with less overhead.
 */
export const limitNodeScenario: Scenario = {
  id: 'limit.node',
  label: "limit: node:http + node:crypto ES256 (Tessera's signer)",
  target: 'limit-node',
  halfRate: true,
  prepare,
};
