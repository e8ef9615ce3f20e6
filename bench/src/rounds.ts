import { settle, type Measurement } from './load.js';
import type { BenchOptions } from './options.js';

/** One scenario's figures in one paired round. */
export interface RoundFigure {
  rps: number;
  /** Cores the server process used (absent for work measured in the harness process). */
  serverCpu?: number;
  /** Cores the server's main thread used meanwhile (`Measurement.eventLoopCpu`). */
  eventLoopCpu?: number;
  /** Cores PostgreSQL's processes used meanwhile (servers on PostgreSQL only). */
  databaseCpu?: number;
  /** The rate of the half-rate run: half of `rps`, this round's maximum (req/s). */
  halfRate?: number;
  /** p99 latency at `halfRate`, for scenarios measured so (ms). */
  halfP99?: number;
  /** The same requests' p99 in Tessera's request log (ms). */
  halfServerP99?: number;
  /** Cores the server used during the half-rate run. */
  halfServerCpu?: number;
  /** The server process's peak RSS during the full-rate run (MB; absent as for `serverCpu`). */
  peakRssMb?: number;
  /** The full-rate run's share of first uses (`Measurement.firstShare`). */
  firstShare?: number;
  errors: number;
}

/** A scenario taking part in the rounds: its server is still up, `measure` drives it at full rate. */
export interface RoundEntry {
  id: string;
  measure: (durationSec: number) => Promise<Measurement>;
  /** Latency at a given rate (half the round's), for the scenarios whose p99 there is a target. */
  measureHalf?: (
    durationSec: number,
    rate: number,
  ) => Promise<{ p99: number; errors: number; serverP99?: number; serverCpu?: number }>;
}

/**
 * The paired rounds after the main pass. In the main pass the two sides of a ratio are measured
 * once each, up to minutes apart, and this machine's speed drifts by ±10–15 % over minutes (the
 * limit alone measured 9,248–11,891 req/s within two hours): a ratio near its target could not be
 * called either way. Here every scenario of a target ratio runs again for `roundSec`, one after the
 * other, `rounds` times, the order reversed every other round so that a steady drift favours
 * neither side; each ratio is then taken per round and its median reported (`report.ts`). Where
 * the main pass measured latency at half rate, each round measures it again at half the rate it
 * has just served, and the p99 checks take the median too. Half the main pass's rate would not do:
 * the machine's speed moves between the two, and a round that served less than the main pass then
 * ran its "half-rate" run at 0.6–1.2 of what it could serve (the twenty-seventh session's notes).
 *
 * @example
 * ```ts
 * const figures = await runRounds(options, [{ id: 'limit', measure }, { id: 'peer', measure: m2 }], log)
 * figures.get('limit') // [{ rps: 9100, serverCpu: 1.2, errors: 0 }, …]
 * ```
 */
export async function runRounds(
  options: Pick<BenchOptions, 'rounds' | 'roundSec'>,
  entries: readonly RoundEntry[],
  log: (line: string) => void,
): Promise<Map<string, RoundFigure[]>> {
  const figures = new Map(entries.map((e) => [e.id, [] as RoundFigure[]]));
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? entries : [...entries].reverse();
    const line: string[] = [];
    for (const entry of order) {
      const m = await entry.measure(options.roundSec);
      await settle(m);
      const halfRate = Math.max(1, Math.floor(m.rps / 2));
      const half = entry.measureHalf && (await entry.measureHalf(options.roundSec, halfRate));
      if (half) await settle(half);
      figures.get(entry.id)?.push({
        rps: m.rps,
        errors: m.errors + (half ? half.errors : 0),
        ...(m.serverCpu !== undefined ? { serverCpu: m.serverCpu } : {}),
        ...(m.eventLoopCpu !== undefined ? { eventLoopCpu: m.eventLoopCpu } : {}),
        ...(m.databaseCpu !== undefined ? { databaseCpu: m.databaseCpu } : {}),
        ...(m.peakRssMb !== undefined ? { peakRssMb: m.peakRssMb } : {}),
        ...(m.firstShare !== undefined ? { firstShare: m.firstShare } : {}),
        ...(half ? { halfRate, halfP99: half.p99 } : {}),
        ...(half?.serverP99 !== undefined ? { halfServerP99: half.serverP99 } : {}),
        ...(half?.serverCpu !== undefined ? { halfServerCpu: half.serverCpu } : {}),
      });
      line.push(
        `${entry.id} ${m.rps.toFixed(0)}${half ? ` (p99 ${half.p99.toFixed(1)} ms at ${halfRate}/s)` : ''}`,
      );
    }
    log(`round ${round}/${options.rounds}: ${line.join(', ')} req/s`);
  }
  return figures;
}
