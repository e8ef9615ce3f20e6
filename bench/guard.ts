// Guard on vs guard off: the same Cluster API request, authenticated by packages/guard (bearer JWT,
// revocation check, access rules, per-project permission) and with the guard switched off, in one
// run and against one server process. Both sides send the same Authorization header, so that the
// ratio prices the guard's work, not the cost of carrying a token.
// Run: node --conditions=tessera-source --import tsx bench/guard.ts
//   [--duration=3] [--rounds=3] [--connections=16] [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactSign, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { median } from './src/report.js';

const CLUSTER = '3f1c2b9e-4d5a-4e6f-8a7b-1c2d3e4f5a6b';
const SELF = fileURLToPath(import.meta.url);

/** What the server child prints once both servers listen. */
interface Served {
  on: string;
  off: string;
  token: string;
  path: string;
}

/** One side's totals. */
export interface SideResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** One round: both sides measured back to back. */
export interface GuardRound {
  off: { rps: number; errors: number };
  on: { rps: number; errors: number };
  /** `on.rps / off.rps`. */
  ratio: number;
}

/** The benchmark's result: both sides over all rounds, and authenticated / unauthenticated throughput. */
export interface GuardBenchResult {
  request: string;
  connections: number;
  off: SideResult;
  on: SideResult;
  /** In round order; the first measures the off side first, the next the on side first, and so on. */
  rounds: GuardRound[];
  /**
   * The median of the rounds' ratios, as the harness takes every paired ratio (`src/report.ts`):
   * one round that a burst of other work on the machine hit does not move it.
   */
  ratio: number;
}

/** Child process: a guard synced from a fixed snapshot, the same Cluster API with the guard on and off. */
async function serve(): Promise<void> {
  // Imported here, in the child only: the bench harness imports runGuardBench from this file.
  const { createGuard } = await import('@tessera/guard');
  const { buildClusterServer, createLocalExecutor, openWorkloadStore } = await import('@tessera/cluster');
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = Object.assign(await exportJWK(publicKey), { kid: 'bench', alg: 'ES256', use: 'sig' });
  const guard = createGuard({
    controlPlaneUrl: 'http://control-plane.invalid',
    clientId: CLUSTER,
    clientSecret: 'unused',
    keys: createLocalJWKSet({ keys: [jwk] }),
    manualSync: true,
  });
  guard.state.applySnapshot({
    cursor: 1,
    tenantId: 1,
    clusterId: CLUSTER,
    issuer: 'http://control-plane.invalid',
    audience: 'runai',
    subjects: Array.from({ length: 1000 }, (_, i) => ({
      type: 'app' as const,
      id: `app${i}`,
      enabled: true,
      validAfter: 0,
    })),
    rules: Array.from({ length: 1000 }, (_, i) => ({
      id: i + 1,
      subjectType: 'app' as const,
      subjectId: `app${i}`,
      roleId: 5,
      scopeType: 'project' as const,
      scopeId: String((i % 50) + 1),
    })),
    departments: [],
    projects: Array.from({ length: 50 }, (_, i) => ({
      id: String(i + 1),
      name: `p${i + 1}`,
      departmentId: null,
      clusterId: CLUSTER,
    })),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-guard-'));
  const store = openWorkloadStore(dataDir);
  const executor = createLocalExecutor({ pendingMs: 1000, runMs: 3_600_000 }, () => {});
  const now = Date.now();
  const workload = {
    id: uuidv7(),
    kind: 'trainings' as const,
    name: 'bench',
    projectId: '8',
    createdBy: 'bench',
    createdAt: now,
    updatedAt: now,
    phase: 'Running',
    phaseUpdatedAt: now,
    desiredPhase: 'Running' as const,
    deletedAt: null,
    completedAt: null,
    spec: '{}',
  };
  store.insert(workload);
  const config = {
    port: 0,
    host: '127.0.0.1',
    controlPlaneUrl: '',
    clusterId: CLUSTER,
    clusterSecret: '',
    dataDir,
    logLevel: 'silent',
    logBufferBytes: 0,
    pendingMs: 1000,
    runMs: 1000,
  };
  const ctx = { config, guard, store, executor };
  const on = await buildClusterServer(ctx, false);
  const off = await buildClusterServer(ctx, false, { guarded: false });
  const iat = Math.floor(now / 1000);
  const claims = {
    iss: 'http://control-plane.invalid',
    sub: 'app7',
    aud: 'runai',
    exp: iat + 3600,
    iat,
    jti: uuidv7(),
    client_id: 'app7',
    tenant_id: 1,
    subject_type: 'app',
  };
  const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' })
    .sign(privateKey);
  const served: Served = {
    on: await on.listen({ port: 0, host: '127.0.0.1' }),
    off: await off.listen({ port: 0, host: '127.0.0.1' }),
    token,
    path: `/api/v1/workloads/${workload.id}`,
  };
  process.stdout.write(JSON.stringify(served) + '\n');
  process.once('SIGTERM', () => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}

/** Closed-loop load: `connections` keep-alive clients for `seconds`; latencies in ms. */
async function load(
  url: string,
  path: string,
  token: string | undefined,
  connections: number,
  seconds: number,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(path, url);
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get(target, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t0);
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, errors, seconds: elapsed };
}

type Run = Awaited<ReturnType<typeof load>>;

function summarize(runs: Run[]): SideResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    errors: runs.reduce((s, r) => s + r.errors, 0),
    seconds: Number(seconds.toFixed(2)),
    rps: Math.round(latencies.length / seconds),
    p50Ms: Number(at(0.5).toFixed(2)),
    p99Ms: Number(at(0.99).toFixed(2)),
  };
}

/**
 * Runs the benchmark: a server child with both variants, then rounds measuring both sides back to
 * back, the order reversed every other round (off then on, on then off, …) so that a steady drift of
 * the machine's speed favours neither side. The ratio is the median of the rounds' ratios.
 *
 * @example
 * ```ts
 * const { ratio } = await runGuardBench({ seconds: 3, rounds: 3, connections: 16 })
 * ```
 */
export async function runGuardBench(opts: {
  seconds: number;
  rounds: number;
  connections: number;
}): Promise<GuardBenchResult> {
  const child = spawn(process.execPath, ['--conditions=tessera-source', '--import', 'tsx', SELF, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const served = await new Promise<Served>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) resolve(JSON.parse(line) as Served);
      });
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    // Warm up both (JIT, the verified-token cache).
    await load(served.off, served.path, served.token, opts.connections, 1);
    await load(served.on, served.path, served.token, opts.connections, 1);
    const off: Run[] = [];
    const on: Run[] = [];
    const rounds: GuardRound[] = [];
    const side = (url: string) => load(url, served.path, served.token, opts.connections, opts.seconds);
    for (let i = 0; i < opts.rounds; i++) {
      if (i % 2 === 0) {
        off.push(await side(served.off));
        on.push(await side(served.on));
      } else {
        on.push(await side(served.on));
        off.push(await side(served.off));
      }
      const figure = (run: Run) => ({ rps: summarize([run]).rps, errors: run.errors });
      const round = { off: figure(off[i] as Run), on: figure(on[i] as Run) };
      rounds.push(Object.assign(round, { ratio: round.off.rps > 0 ? round.on.rps / round.off.rps : 0 }));
    }
    return {
      request: 'GET /api/v1/workloads/{id} (Cluster API)',
      connections: opts.connections,
      off: summarize(off),
      on: summarize(on),
      rounds,
      ratio: Number(median(rounds.map((r) => r.ratio)).toFixed(3)),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === 'serve') {
    await serve();
  } else {
    const result = await runGuardBench({
      seconds: arg('duration', 3),
      rounds: arg('rounds', 3),
      connections: arg('connections', 16),
    });
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      console.log(`guard bench: ${result.request}, ${result.connections} connections`);
      console.log('| variant   | requests | errors | req/s | p50 ms | p99 ms |');
      console.log('|-----------|---------:|-------:|------:|-------:|-------:|');
      for (const [label, side] of [
        ['guard off', result.off],
        ['guard on', result.on],
      ] as const) {
        console.log(
          `| ${label.padEnd(9)} | ${side.requests} | ${side.errors} | ${side.rps} | ${side.p50Ms} | ${side.p99Ms} |`,
        );
      }
      const perRound = result.rounds.map((r) => r.ratio.toFixed(2)).join(', ');
      console.log(
        `authenticated / unauthenticated throughput: ${result.ratio} (median of rounds ${perRound}; target >= 0.90)`,
      );
    }
  }
}
