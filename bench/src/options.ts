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
   * the scenario duration, or half of it in `--quick`, whose latency is a smoke check, not a figure.
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

/**
 * Parses `npm run bench -- [--quick] [--duration=S] [--warmup=S] [--connections=16,32,64,128] [--apps=10,100000]
 * [--stores=sqlite,postgres] [--server=dist|source] [--only=a,b] [--out=path] [--rounds=N]
 * [--profile[=dir]] [--log-level=info] [--node-flags=--flag,--other-flag]
 * [--server-main=path/to/main.js] [--baseline=path/to/other/main.js]`.
 *
 * @example
 * ```ts
 * parseOptions(['--quick']).durationSec // 2
 * ```
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new Error(`bench: unknown argument "${arg}"`);
    flags.set(match[1], match[2] ?? 'true');
  }
  const known = [
    'quick',
    'duration',
    'warmup',
    'connections',
    'apps',
    'stores',
    'server',
    'only',
    'out',
    'profile',
    'log-level',
    'server-main',
    'baseline',
    'rounds',
    'node-flags',
  ];
  for (const key of flags.keys()) if (!known.includes(key)) throw new Error(`bench: unknown option --${key}`);
  const quick = flags.get('quick') === 'true';
  const base = quick ? QUICK : FULL;
  const list = (key: string, fallback: string) =>
    (flags.get(key) ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const positive = (key: string, fallback: number) => {
    const value = Number(flags.get(key) ?? fallback);
    if (!(value > 0)) throw new Error(`bench: --${key} must be a positive number`);
    return value;
  };
  const stores = list('stores', 'sqlite,postgres');
  for (const s of stores)
    if (s !== 'sqlite' && s !== 'postgres') throw new Error(`bench: unknown store ${s}`);
  const rounds = Number(flags.get('rounds') ?? base.rounds);
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > 20)
    throw new Error('bench: --rounds must be a whole number from 0 to 20');
  const server = flags.get('server') ?? 'dist';
  if (server !== 'dist' && server !== 'source') throw new Error('bench: --server must be dist or source');
  const durationSec = positive('duration', base.durationSec);
  const connections = [...new Set(list('connections', base.connections).map(Number))];
  if (
    connections.length === 0 ||
    connections.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_CONNECTIONS)
  )
    throw new Error(`bench: --connections takes whole numbers from 1 to ${MAX_CONNECTIONS}, comma-separated`);
  connections.sort((a, b) => a - b);
  const [first = 0, ...more] = connections;
  const nodeFlags = flags.has('node-flags') ? list('node-flags', '') : [];
  for (const flag of nodeFlags)
    if (!flag.startsWith('--'))
      throw new Error(`bench: --node-flags takes node flags (--name), not "${flag}"`);
  for (const key of ['server-main', 'baseline'])
    if (flags.get(key) === 'true') throw new Error(`bench: --${key} needs a path: --${key}=path/to/main.js`);
  return {
    quick,
    warmupSec: positive('warmup', base.warmupSec),
    durationSec,
    rounds,
    roundSec: durationSec / 2,
    halfRateSec: quick ? durationSec / 2 : durationSec,
    connections: [first, ...more],
    probeSec: base.probeSec,
    // Quick mode skips the 100,000-application store: seeding it is most of a quick run's budget.
    appCounts: list('apps', quick ? '10' : '10,100000').map((n) => Math.round(Number(n))),
    stores: stores as BenchOptions['stores'],
    server,
    only: list('only', ''),
    logLevel: flags.get('log-level') ?? 'info',
    nodeFlags,
    ...(flags.has('server-main') ? { serverMain: flags.get('server-main') as string } : {}),
    ...(flags.has('baseline') ? { baselineMain: flags.get('baseline') as string } : {}),
    out: flags.get('out') ?? new URL('../results/latest.json', import.meta.url).pathname,
    ...(flags.has('profile')
      ? {
          profileDir:
            flags.get('profile') === 'true'
              ? new URL('../results/profiles', import.meta.url).pathname
              : (flags.get('profile') as string),
        }
      : {}),
    postgresUrl: env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}
