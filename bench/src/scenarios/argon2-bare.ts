import argon2 from 'argon2';
import { ARGON2_OPTIONS } from '../../../packages/server/src/crypto/passwords.js';
import type { Scenario } from '../scenario.js';
import { ARGON2_CONCURRENCY } from './password.js';

/**
 * The bare cost of the password grant: `argon2.verify` with the server's parameters (OWASP
 * argon2id), 4 at a time, in the harness process with no HTTP at all.
 */
export const argon2BareScenario: Scenario = {
  id: 'argon2id.bare',
  label: 'bare argon2id verify (same parameters)',
  target: 'none',
  connections: ARGON2_CONCURRENCY,
  prepare: async () => {
    const password = 'bench-admin-password-1';
    const hash = await argon2.hash(password, ARGON2_OPTIONS);
    return {
      kind: 'local',
      run: async (durationSec) => {
        const latencies: number[] = [];
        let errors = 0;
        const end = performance.now() + durationSec * 1000;
        const worker = async () => {
          while (performance.now() < end) {
            const t0 = performance.now();
            if (!(await argon2.verify(hash, password))) errors += 1;
            latencies.push(performance.now() - t0);
          }
        };
        const started = performance.now();
        await Promise.all(Array.from({ length: ARGON2_CONCURRENCY }, worker));
        const wall = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        const at = (q: number) =>
          latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
        return {
          rps: latencies.length / wall,
          p50: at(0.5),
          p99: at(0.99),
          requests: latencies.length,
          errors,
        };
      },
    };
  },
};
