/**
 * What an object literal costs on this Node's V8, by form: a spread followed by more properties
 * (the form ESLint refuses in `packages/*\/src`, eslint.config.js) against the forms that replace it.
 * Prints, per form, the time per object and the full (mark-compact) GCs a million objects caused:
 * the slow forms leave their garbage in the old generation, which only a full GC frees. On Node 20
 * (V8 11.3) the first two rows, which add a property the spread object lacks, cost 0.4–2 µs an
 * object and run full GCs; overwriting a property it has (the third) and the other forms take tens
 * of nanoseconds and none (bench/README.md).
 *
 * @example
 * ```sh
 * node --import tsx bench/object-spread.ts            # 200,000 objects a form, best of 5 passes
 * node --import tsx bench/object-spread.ts 50000 3
 * ```
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

type Keys = { pair: string; address: string };
type Form = (keys: Keys, n: number) => object;

const FORMS: [string, Form][] = [
  // eslint-disable-next-line no-restricted-syntax -- the form this tool measures
  ['{ ...keys, n }', (keys, n) => ({ ...keys, n })],
  // eslint-disable-next-line no-restricted-syntax -- the form this tool measures
  ['{ ...keys, ...{ n } }', (keys, n) => ({ ...keys, ...{ n } })],
  // eslint-disable-next-line no-restricted-syntax -- the form this tool measures
  ['{ ...keys, pair } (a property keys has)', (keys, n) => ({ ...keys, pair: String(n) })],
  ['Object.assign({}, keys, { n })', (keys, n) => Object.assign({}, keys, { n })],
  ['{ n, ...keys }', (keys, n) => ({ n, ...keys })],
  ['{ ...keys }', (keys) => ({ ...keys })],
  ['{ pair, address, n }', (keys, n) => ({ pair: keys.pair, address: keys.address, n })],
];

const count = Number(process.argv[2] ?? 200_000);
const passes = Number(process.argv[3] ?? 5);
let fullGcs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (
      (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ===
      constants.NODE_PERFORMANCE_GC_MAJOR
    )
      fullGcs++;
}).observe({ entryTypes: ['gc'] });

let sink: object | undefined;
console.log(`| form | ns an object (best of ${passes}) | full GCs a million objects |`);
console.log('|---|---:|---:|');
for (const [label, form] of FORMS) {
  const times: number[] = [];
  await sleep(50);
  fullGcs = 0;
  for (let pass = 0; pass < passes; pass++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++)
      sink = form({ pair: `client:1:app${i % 10}:127.0.0.1`, address: 'address:127.0.0.1' }, i);
    times.push(Number(process.hrtime.bigint() - start) / count);
  }
  // The observer hears of a GC on a later turn.
  await sleep(50);
  console.log(
    `| \`${label}\` | ${Math.min(...times).toFixed(0)} | ${((fullGcs * 1e6) / (count * passes)).toFixed(1)} |`,
  );
}
void sink;
