// npm run bench [-- --quick ...]: starts everything on loopback, runs every scenario, prints a
// Markdown table and writes bench/results/latest.json. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { redactUrl } from '../../packages/server/src/config/settings.js';
import { cpuSteadiness, machineCosts } from './machine.js';
import { parseOptions } from './options.js';
import { evaluate, markdown, ratioPairs } from './report.js';
import { runScenarios } from './run.js';
import { allScenarios } from './scenarios/index.js';

const options = parseOptions(process.argv.slice(2), process.env);
const startedAt = new Date();
const loadavgAtStart = loadavg();
// Before any server starts, so that nothing else of the run competes with it.
const costs = machineCosts();
const steadiness = cpuSteadiness(options.quick ? 1 : 2);
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
log(
  `${options.quick ? 'quick' : 'full'} run: ${options.durationSec} s per scenario after ${options.warmupSec} s warm-up, ` +
    (options.connections.length > 1
      ? `${options.connections.join('/')} connections (the one serving most, after ${options.probeSec} s probes)`
      : `${options.connections[0]} connections`) +
    `, server from ${options.server}` +
    (options.rounds
      ? `, then ${options.rounds} paired rounds of ${options.roundSec} s per ratio scenario`
      : ''),
);
const roundIds = new Set(ratioPairs(options).flatMap((p) => [p.numerator, p.denominator]));
const results = await runScenarios(options, allScenarios(options), roundIds, log);
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
mkdirSync(dirname(options.out), { recursive: true });
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
