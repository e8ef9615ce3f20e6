// npm run bench [-- --quick ...]: starts everything on loopback, runs every scenario, prints a
// Markdown table and writes bench/results/latest.json. See bench/README.md.
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { redactUrl } from '../../packages/server/src/config/settings.js';
import { cpuSteadiness, machineCosts } from './machine.js';
import { parseOptions } from './options.js';
import { evaluate, markdown, ratioPairs } from './report.js';
import { runScenarios } from './run.js';
import { selectScenarios } from './scenarios/index.js';

const USAGE = `npm run bench -- [options]      (bench/README.md explains each; the defaults are a full run's)
  --quick                  CI-sized smoke run: 2 s per scenario, 10 applications only, under 60 s
  --duration=S --warmup=S  seconds of each measured run (10) and of its warm-up (3)
  --rounds=N               paired rounds after the main pass, 0 to 20 (3; 0 in --quick)
  --connections=N,N        connection counts swept for each server's maximum rate (16,32,64,128)
  --apps=N,N               applications seeded per store; the first is the base of the ratio (10,100000)
  --stores=sqlite,postgres the stores the Tessera scenarios run on (both)
  --only=a,b               only scenarios whose id contains a or b
  --out=FILE               the JSON result (bench/results/latest.json)
  --server=dist|source     built JS (dist) or src/ through tsx
  --server-main=PATH       another build's main.js to measure; --baseline=PATH one to compare with
  --profile[=DIR]          node --cpu-prof profiles of the Tessera servers (bench/results/profiles)
  --node-flags=--a,--b     extra node flags for the Tessera servers
  --log-level=LEVEL        the servers' TESSERA_LOG_LEVEL (info)
  --keep-logs=DIR          copy each Tessera server's log to DIR when it stops
BENCH_POSTGRES_URL names the PostgreSQL server (postgres://postgres@127.0.0.1:5432/postgres).
`;

const { options, scenarios } = readArguments();
const startedAt = new Date();
const loadavgAtStart = loadavg();
// Before any server starts, so that nothing else of the run competes with it.
const costs = machineCosts();
const steadiness = cpuSteadiness(options.quick ? 1 : 2);
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
log(
  `${options.quick ? 'quick' : 'full'} run: ${options.durationSec} s per scenario after ${options.warmupSec} s warm-up (app_token: after a first pass naming every application once), ` +
    (options.connections.length > 1
      ? `${options.connections.join('/')} connections (the one serving most, after ${options.probeSec} s probes)`
      : `${options.connections[0]} connections`) +
    `, server from ${options.server}` +
    (options.rounds
      ? `, then ${options.rounds} paired rounds of ${options.roundSec} s per ratio scenario`
      : ''),
);
const roundIds = new Set(ratioPairs(options).flatMap((p) => [p.numerator, p.denominator]));
const results = await runScenarios(options, scenarios, roundIds, log);
const verdict = evaluate(options, results);
const report = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  elapsedSec: (Date.now() - startedAt.getTime()) / 1000,
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadavgAtStart,
    loadavgAtEnd: loadavg(),
    ...costs,
    ...steadiness,
  },
  // Runs are kept in git (bench/runs/): a password in BENCH_POSTGRES_URL must not be.
  options: Object.assign({}, options, { postgresUrl: redactUrl(options.postgresUrl) }),
  scenarios: results,
  ...verdict,
};
writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
process.stdout.write(markdown(results, verdict) + '\n');
process.stdout.write(
  `\n${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${process.version}; load average ` +
    `${loadavgAtStart[0]?.toFixed(1)} at start, ${report.machine.loadavgAtEnd[0]?.toFixed(1)} at end (other work on the machine shows here); ` +
    `${costs.jsLoopNs.toFixed(2)} ns per JavaScript loop iteration, ${costs.syscallUs.toFixed(2)} µs per system call; ` +
    `a spinning thread did under half its median work in ${steadiness.slowWindowsPct.toFixed(1)} % of 10 ms windows, ` +
    `the slowest ${steadiness.slowestWindowPct.toFixed(0)} % (src/machine.ts).\n`,
);
log(`wrote ${options.out} after ${report.elapsedSec.toFixed(0)} s`);

// A bad argument ends the run before it measures anything, with its message and no stack trace.
function readArguments() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  try {
    const options = parseOptions(process.argv.slice(2), process.env);
    // Found out now, not after ten minutes of measuring.
    writableDirectory(dirname(options.out), `--out=${options.out}`);
    if (statSync(options.out, { throwIfNoEntry: false })?.isDirectory())
      throw new Error(`bench: --out=${options.out}: a directory`);
    if (options.keepLogsDir) writableDirectory(options.keepLogsDir, `--keep-logs=${options.keepLogsDir}`);
    return { options, scenarios: selectScenarios(options) };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}

/** Creates `dir` if need be and checks it can be written to, or throws naming `option`. */
function writableDirectory(dir: string, option: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new Error(`bench: ${option}: ${(err as Error).message}`);
  }
}
