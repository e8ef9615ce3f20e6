import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions } from '../src/options.js';

describe('bench options', () => {
  it('defaults to the full run: both stores, 10 and 100,000 applications, built server', () => {
    const o = parseOptions([]);
    assert.equal(o.quick, false);
    assert.deepEqual(o.appCounts, [10, 100_000]);
    assert.deepEqual(o.stores, ['sqlite', 'postgres']);
    assert.equal(o.server, 'dist');
    assert.match(o.out, /bench\/results\/latest\.json$/);
  });

  it('--quick shortens every run and skips the 100,000-application store', () => {
    const o = parseOptions(['--quick']);
    assert.ok(o.durationSec < parseOptions([]).durationSec);
    assert.deepEqual(o.appCounts, [10]);
  });

  it('takes explicit values and rejects unknown or malformed arguments', () => {
    const o = parseOptions(['--duration=1.5', '--stores=postgres', '--only=limit,peer', '--server=source']);
    assert.equal(o.durationSec, 1.5);
    assert.deepEqual(o.stores, ['postgres']);
    assert.deepEqual(o.only, ['limit', 'peer']);
    assert.equal(o.server, 'source');
    assert.throws(() => parseOptions(['--nope']), /unknown option --nope/);
    assert.throws(() => parseOptions(['quick']), /unknown argument/);
    assert.throws(() => parseOptions(['--duration=0']), /--duration must be a positive number/);
    assert.throws(() => parseOptions(['--stores=mysql']), /unknown store mysql/);
    assert.equal(parseOptions(['--baseline=/tmp/before/main.js']).baselineMain, '/tmp/before/main.js');
    assert.throws(() => parseOptions(['--baseline']), /--baseline needs a path/);
  });

  it('passes --node-flags to the Tessera servers, flags only', () => {
    assert.deepEqual(parseOptions([]).nodeFlags, []);
    assert.deepEqual(parseOptions(['--node-flags=--perf-basic-prof,--max-semi-space-size=16']).nodeFlags, [
      '--perf-basic-prof',
      '--max-semi-space-size=16',
    ]);
    assert.throws(() => parseOptions(['--node-flags=perf-basic-prof']), /takes node flags/);
  });

  it('sweeps connection counts, ascending and each once, from 1 to 1,024', () => {
    assert.deepEqual(parseOptions([]).connections, [16, 32, 64, 128]);
    assert.deepEqual(parseOptions(['--connections=64,16,64']).connections, [16, 64]);
    assert.deepEqual(parseOptions(['--connections=4']).connections, [4]);
    assert.deepEqual(parseOptions(['--quick']).connections, [16], '--quick does not sweep');
    assert.deepEqual(parseOptions(['--quick', '--connections=16,128']).connections, [16, 128]);
    for (const bad of ['0', '1.5', '2000', 'many', ','])
      assert.throws(() => parseOptions([`--connections=${bad}`]), /--connections takes whole numbers/);
  });

  it('runs 3 paired rounds of half the duration in a full run, none in --quick', () => {
    assert.deepEqual([parseOptions([]).rounds, parseOptions([]).roundSec], [3, 5]);
    assert.equal(parseOptions(['--quick']).rounds, 0);
    assert.equal(parseOptions(['--quick', '--rounds=2']).rounds, 2);
    assert.equal(parseOptions(['--rounds=0']).rounds, 0);
    assert.throws(() => parseOptions(['--rounds=1.5']), /--rounds must be a whole number/);
    assert.throws(() => parseOptions(['--rounds=-1']), /--rounds must be a whole number/);
  });

  it('measures latency at half rate for the whole duration, for half of it in --quick', () => {
    assert.equal(parseOptions([]).halfRateSec, 10);
    assert.equal(parseOptions(['--duration=4']).halfRateSec, 4);
    assert.equal(parseOptions(['--quick']).halfRateSec, 1);
  });

  it('reads the PostgreSQL URL from BENCH_POSTGRES_URL', () => {
    assert.equal(
      parseOptions([], { BENCH_POSTGRES_URL: 'postgres://x@127.0.0.1/y' }).postgresUrl,
      'postgres://x@127.0.0.1/y',
    );
  });
});
