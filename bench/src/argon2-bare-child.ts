// The bare argon2id baseline's own process (`scenarios/argon2-bare.ts`): `argon2.verify` with the
// server's parameters, `concurrency` at a time for `durationSec`, on a thread pool of the size its
// parent gives it (the server's), with no HTTP. Prints one JSON line: rps, p50, p99, requests, errors.
//
//   node --import tsx bench/src/argon2-bare-child.ts DURATION_SEC CONCURRENCY
import argon2 from 'argon2';
import { ARGON2_OPTIONS } from '../../packages/server/src/crypto/passwords.js';
import { quantile } from './paced.js';

const [durationSec, concurrency] = process.argv.slice(2).map(Number);
if (!durationSec || !concurrency) throw new Error('usage: argon2-bare-child.ts DURATION_SEC CONCURRENCY');
const password = 'bench-admin-password-1';
const hash = await argon2.hash(password, ARGON2_OPTIONS);
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
await Promise.all(Array.from({ length: concurrency }, worker));
const wall = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ rps: latencies.length / wall, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), requests: latencies.length, errors })}\n`,
);
