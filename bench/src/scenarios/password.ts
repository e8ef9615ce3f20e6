import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../targets/tessera.js';
import type { Scenario } from '../scenario.js';

/**
 * Connections for the argon2id scenarios: at least as many as the server's thread pool runs hashes
 * at once (2 to 4: `THREAD_POOL_SIZE`), so that the pool never waits for the next request.
 */
export const ARGON2_CONCURRENCY = 4;

/** `POST /api/v1/token` `grantType: password` (argon2id verify per request). */
export function passwordScenario(target: string): Scenario {
  return {
    id: 'v1.password',
    label: 'v1 password grant (argon2id)',
    target,
    connections: ARGON2_CONCURRENCY,
    prepare: async () => ({
      kind: 'http',
      shape: {
        method: 'POST',
        path: '/api/v1/token',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grantType: 'password', username: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      },
    }),
  };
}
