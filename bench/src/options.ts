import { existsSync } from 'node:fs';
import { SETTINGS } from '../../packages/server/src/config/config.js';
import { ConfigError } from '../../packages/server/src/config/settings.js';

/** How one run of the harness is shaped. */
export interface BenchOptions {
  quick: boolean;
  /** Seconds of warm-up before each measured run (not recorded). */
  warmupSec: number;
  /** Seconds of each measured run. */
  durationSec: number;
  /**
   * Paired rounds after the main pass: every scenario a target ratio compares is measured again,
   * once per round, in one sequence (reversed every other round) while all their servers stay up,
   * and each ratio is the median of its per-round ratios (see `rounds.ts`). 0 skips them.
   */
  rounds: number;
  /** Seconds of each scenario's run in a paired round. */
  roundSec: number;
  /**
   * Seconds of the main pass's run at half the measured rate, for scenarios with a latency target:
   * the scenario duration, or half of it in `--quick`, whose latency is a smoke check, not a figure,
   * and when paired rounds follow, which each measure it again for `roundSec` and decide the check
   * (their median): the main pass's run is then one more sample of the same length.
   */
  halfRateSec: number;
  /**
   * Concurrent connections the load generator tries for throughput runs, ascending. A closed loop's
   * rate is its connections over the answer's latency, so one fixed count measures a server that
   * waits (for a disk flush, a worker) below what it can serve: each HTTP scenario without a count
   * of its own is probed at every count for `probeSec` and measured at the one that served most,
   * its maximum rate (`run.ts`). The first count alone also drives the guard scenario.
   */
  connections: [number, ...number[]];
  /** Seconds of each connection count's probe (only when `connections` holds more than one). */
  probeSec: number;
  /** Application counts to seed; the first is the one the other counts are compared with. */
  appCounts: number[];
  /** Store kinds to run the Tessera scenarios on. */
  stores: Array<'sqlite' | 'postgres'>;
  /** Run the server from `dist/` (built JS, the default) or from `src/` through tsx. */
  server: 'dist' | 'source';
  /** Only scenarios whose id contains one of these strings (all when empty). */
  only: string[];
  /** Where the JSON result goes. */
  out: string;
  /** Another built `main.js` to run instead of packages/server/dist (before/after comparisons). */
  serverMain?: string;
  /**
   * A second build's `main.js` whose `app_token` scenarios run beside this build's, in the same main
   * pass and paired rounds, for a before/after ratio measured in one run.
   */
  baselineMain?: string;
  /** TESSERA_LOG_LEVEL of the Tessera servers: the shipped default `info` logs every request. */
  logLevel: string;
  /**
   * Directory each Tessera server's log (its stdout and stderr, `--trace-gc` output included) is
   * copied to when it stops, as `tessera-<store>-<apps>[-baseline].log` (off when unset: the log goes
   * with the server's data dir).
   */
  keepLogsDir?: string;
  /** Directory for `node --cpu-prof` profiles of the Tessera server processes (off when unset). */
  profileDir?: string;
  /**
   * Extra `node` flags for the Tessera server processes, e.g. `--perf-basic-prof` so that Linux
   * `perf` names the JIT's frames (bench/README.md, twentieth session).
   */
  nodeFlags: string[];
  /** PostgreSQL server the PostgreSQL scenarios create their fresh database on. */
  postgresUrl: string;
}

// Connections double from 16 to 128: every server had saturated by 128 (256 served less), bench/README.md.
const FULL = { warmupSec: 3, durationSec: 10, rounds: 3, probeSec: 1, connections: '16,32,64,128' };
// A smoke run does not sweep (it would take 66 s instead of 49 s here, over its 60 s); its figures
// are not results. bench/test/quick.test.ts names two counts, so the sweep is still run in CI.
const QUICK = { warmupSec: 0.5, durationSec: 2, rounds: 0, probeSec: 0.25, connections: '16' };

/** Most connections of one count (the load generator and the servers each hold one socket per connection). */
const MAX_CONNECTIONS = 1024;
/** Most applications one store is seeded with (seeding 100,000 takes a few seconds here). */
const MAX_APPS = 1_000_000;

/** The options that take a value (`--name=value`), and the switches that take none. */
const VALUED = [
  'duration',
  'warmup',
  'connections',
  'apps',
  'stores',
  'server',
  'only',
  'out',
  'log-level',
  'server-main',
  'baseline',
  'rounds',
  'node-flags',
  'keep-logs',
];
const SWITCHES = ['quick'];

/**
 * Parses `npm run bench -- [--quick] [--duration=S] [--warmup=S] [--connections=16,32,64,128] [--apps=10,100000]
 * [--stores=sqlite,postgres] [--server=dist|source] [--only=a,b] [--out=path] [--rounds=N]
 * [--profile[=dir]] [--log-level=info] [--node-flags=--flag,--other-flag] [--keep-logs=dir]
 * [--server-main=path/to/main.js] [--baseline=path/to/other/main.js]`. A bad argument throws an
 * error that names it, before anything is measured.
 *
 * @example
 * ```ts
 * parseOptions(['--quick']).durationSec // 2
 * parseOptions(['--apps=ten']) // throws: bench: --apps takes whole numbers from 1 to 1000000, comma-separated
 * ```
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BenchOptions {
  // A flag given without `=value` maps to undefined.
  const flags = new Map<string, string | undefined>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new Error(`bench: unknown argument "${arg}"`);
    const [, key, value] = match;
    if (!VALUED.includes(key) && !SWITCHES.includes(key) && key !== 'profile')
      throw new Error(`bench: unknown option --${key}`);
    if (SWITCHES.includes(key) && value !== undefined) throw new Error(`bench: --${key} takes no value`);
    if (VALUED.includes(key) && !value) throw new Error(`bench: --${key} needs a value: --${key}=…`);
    if (key === 'profile' && value === '') throw new Error('bench: --profile takes a directory, or nothing');
    flags.set(key, value);
  }
  const quick = flags.has('quick');
  const base = quick ? QUICK : FULL;
  const list = (key: string, fallback: string) => [
    ...new Set(
      (flags.get(key) ?? fallback)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const positive = (key: string, fallback: number) => {
    const value = Number(flags.get(key) ?? fallback);
    if (!(value > 0 && value < Infinity)) throw new Error(`bench: --${key} must be a positive number`);
    return value;
  };
  const wholeNumbers = (key: string, fallback: string, max: number) => {
    const values = [...new Set(list(key, fallback).map(Number))];
    if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 1 || n > max))
      throw new Error(`bench: --${key} takes whole numbers from 1 to ${max}, comma-separated`);
    return values;
  };
  const stores = list('stores', 'sqlite,postgres');
  if (stores.length === 0 || stores.some((s) => s !== 'sqlite' && s !== 'postgres'))
    throw new Error(`bench: --stores takes sqlite, postgres or both, comma-separated`);
  const rounds = Number(flags.get('rounds') ?? base.rounds);
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > 20)
    throw new Error('bench: --rounds must be a whole number from 0 to 20');
  const server = flags.get('server') ?? 'dist';
  if (server !== 'dist' && server !== 'source') throw new Error('bench: --server must be dist or source');
  const durationSec = positive('duration', base.durationSec);
  const [first = 0, ...more] = wholeNumbers('connections', base.connections, MAX_CONNECTIONS).sort(
    (a, b) => a - b,
  );
  const nodeFlags = list('node-flags', '');
  for (const flag of nodeFlags)
    if (!flag.startsWith('--'))
      throw new Error(`bench: --node-flags takes node flags (--name), not "${flag}"`);
  const only = list('only', '');
  if (flags.has('only') && only.length === 0) throw new Error('bench: --only needs scenario ids: --only=a,b');
  const serverMain = flags.get('server-main');
  const baselineMain = flags.get('baseline');
  for (const [key, path] of [
    ['server-main', serverMain],
    ['baseline', baselineMain],
  ])
    if (path && !existsSync(path)) throw new Error(`bench: --${key}=${path}: no such file`);
  const keepLogs = flags.get('keep-logs');
  const profile = flags.has('profile')
    ? (flags.get('profile') ?? defaultPath('../results/profiles'))
    : undefined;
  return {
    quick,
    warmupSec: positive('warmup', base.warmupSec),
    durationSec,
    rounds,
    roundSec: durationSec / 2,
    halfRateSec: quick || rounds > 0 ? durationSec / 2 : durationSec,
    connections: [first, ...more],
    probeSec: base.probeSec,
    // Quick mode skips the 100,000-application store: seeding it is most of a quick run's budget.
    appCounts: wholeNumbers('apps', quick ? '10' : '10,100000', MAX_APPS),
    stores: stores as BenchOptions['stores'],
    server,
    only,
    logLevel: serverLogLevel(flags.get('log-level') ?? 'info'),
    nodeFlags,
    ...(serverMain ? { serverMain } : {}),
    ...(baselineMain ? { baselineMain } : {}),
    out: flags.get('out') ?? defaultPath('../results/latest.json'),
    ...(profile ? { profileDir: profile } : {}),
    ...(keepLogs ? { keepLogsDir: keepLogs } : {}),
    postgresUrl: env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

function defaultPath(relative: string): string {
  return new URL(relative, import.meta.url).pathname;
}

// The server's own parser, so that the levels the harness accepts are the ones the server does.
function serverLogLevel(level: string): string {
  try {
    return SETTINGS.logLevel.parse(level);
  } catch (err) {
    if (err instanceof ConfigError) throw new Error(`bench: --log-level sets the server's ${err.message}`);
    throw err;
  }
}
