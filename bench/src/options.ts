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
  /** Concurrent connections the load generator keeps open for throughput runs. */
  connections: number;
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

const FULL = { warmupSec: 3, durationSec: 10, rounds: 3 };
const QUICK = { warmupSec: 0.5, durationSec: 2, rounds: 0 };

/**
 * Parses `npm run bench -- [--quick] [--duration=S] [--warmup=S] [--connections=N] [--apps=10,100000]
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
    connections: Math.round(positive('connections', 16)),
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
