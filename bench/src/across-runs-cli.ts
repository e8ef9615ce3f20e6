// npm run bench:runs -- FILE...: the issue's targets across several runs' JSON files (full runs
// kept in bench/runs/, or bench/results/latest.json), each run's figure and how many runs met each
// target. See bench/README.md ("Status").
import { readFileSync } from 'node:fs';
import { acrossRuns, acrossRunsMarkdown, type RunRecord } from './across-runs.js';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: across-runs-cli.ts RUN.json [RUN.json …]');
const runs = files
  .map((file) => JSON.parse(readFileSync(file, 'utf8')) as RunRecord)
  .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
process.stdout.write(acrossRunsMarkdown(acrossRuns(runs)) + '\n');
