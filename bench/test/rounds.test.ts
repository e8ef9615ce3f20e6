import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Measurement } from '../src/load.js';
import { runRounds } from '../src/rounds.js';

describe('bench paired rounds', () => {
  it('measures every entry once per round, reversing the order every other round', async () => {
    const order: string[] = [];
    const entry = (id: string, rps: number) => ({
      id,
      measure: async (durationSec: number): Promise<Measurement> => {
        order.push(`${id}:${durationSec}`);
        return {
          rps: rps + order.length,
          p50: 1,
          p99: 1,
          requests: 1,
          errors: 0,
          loadgenCpu: 0,
          serverCpu: 1,
        };
      },
    });
    const lines: string[] = [];
    const figures = await runRounds({ rounds: 3, roundSec: 0.5 }, [entry('a', 100), entry('b', 200)], (l) =>
      lines.push(l),
    );
    assert.deepEqual(order, ['a:0.5', 'b:0.5', 'b:0.5', 'a:0.5', 'a:0.5', 'b:0.5']);
    assert.deepEqual(
      figures.get('a')?.map((f) => f.rps),
      [101, 104, 105],
    );
    assert.deepEqual(
      figures.get('b')?.map((f) => f.rps),
      [202, 203, 206],
    );
    assert.equal(figures.get('a')?.[0]?.serverCpu, 1);
    assert.equal(lines.length, 3);
    assert.match(lines[1] ?? '', /^round 2\/3: b 203, a 104 req\/s$/);
  });

  it('measures latency at half rate after the full-rate run where the main pass did', async () => {
    const calls: string[] = [];
    const figures = await runRounds(
      { rounds: 1, roundSec: 0.2 },
      [
        {
          id: 'token',
          measure: async (): Promise<Measurement> => {
            calls.push('full');
            return { rps: 100, p50: 1, p99: 1, requests: 1, errors: 1, loadgenCpu: 0 };
          },
          measureHalf: async (_durationSec, rate) => {
            calls.push(`half at ${rate}`);
            return { p99: 7.5, errors: 2 };
          },
        },
      ],
      () => {},
    );
    assert.deepEqual(calls, ['full', 'half at 50'], "at half the rate this round's full-rate run served");
    assert.deepEqual(figures.get('token'), [{ rps: 100, errors: 3, halfRate: 50, halfP99: 7.5 }]);
  });
});
