import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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
    assert.throws(() => parseOptions(['--stores=mysql']), /--stores takes sqlite, postgres or both/);
    const existing = fileURLToPath(import.meta.url);
    assert.equal(parseOptions([`--baseline=${existing}`]).baselineMain, existing);
    assert.equal(parseOptions([`--server-main=${existing}`]).serverMain, existing);
    assert.throws(() => parseOptions(['--baseline']), /--baseline needs a value/);
    assert.equal(parseOptions([]).keepLogsDir, undefined);
    assert.equal(parseOptions(['--keep-logs=/tmp/logs']).keepLogsDir, '/tmp/logs');
    assert.throws(() => parseOptions(['--keep-logs']), /--keep-logs needs a value/);
    assert.throws(
      () => parseOptions(['--server-main=/nowhere/main.js']),
      /--server-main=\/nowhere\/main.js: no such file/,
    );
  });

  it('names the option of every malformed value', () => {
    const cases: Array<[string, RegExp]> = [
      ['--quick=yes', /--quick takes no value/],
      ['--duration', /--duration needs a value/],
      ['--duration=', /--duration needs a value/],
      ['--duration=Infinity', /--duration must be a positive number/],
      ['--warmup=soon', /--warmup must be a positive number/],
      ['--out=', /--out needs a value/],
      ['--profile=', /--profile takes a directory, or nothing/],
      ['--stores=,', /--stores takes sqlite, postgres or both/],
      ['--only=,', /--only needs scenario ids/],
      ['--server=docker', /--server must be dist or source/],
      [
        '--log-level=loud',
        /--log-level sets the server's TESSERA_LOG_LEVEL: must be one of fatal, .*silent, got "loud"/,
      ],
    ];
    for (const [arg, message] of cases) assert.throws(() => parseOptions([arg]), message, arg);
  });

  it('seeds whole numbers of applications from 1 to 1,000,000, each count once, the first the base', () => {
    assert.deepEqual(parseOptions(['--apps=1000,10,1000']).appCounts, [1000, 10]);
    for (const bad of ['ten', '0', '-5', '10.5', '2000000', ','])
      assert.throws(
        () => parseOptions([`--apps=${bad}`]),
        /--apps takes whole numbers from 1 to 1000000/,
        bad,
      );
  });

  it('passes the server a log level it accepts', () => {
    assert.equal(parseOptions([]).logLevel, 'info');
    assert.equal(parseOptions(['--log-level=silent']).logLevel, 'silent');
  });

  it('--profile writes to bench/results/profiles unless given a directory', () => {
    assert.equal(parseOptions([]).profileDir, undefined);
    assert.match(parseOptions(['--profile']).profileDir ?? '', /bench\/results\/profiles$/);
    assert.equal(parseOptions(['--profile=/tmp/p']).profileDir, '/tmp/p');
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

  it('measures latency at half rate for half the duration when rounds follow or in --quick, else the whole', () => {
    assert.equal(parseOptions([]).halfRateSec, 5);
    assert.equal(parseOptions(['--duration=4']).halfRateSec, 2);
    assert.equal(parseOptions(['--rounds=0']).halfRateSec, 10);
    assert.equal(parseOptions(['--rounds=0', '--duration=4']).halfRateSec, 4);
    assert.equal(parseOptions(['--quick']).halfRateSec, 1);
  });

  it('reads the PostgreSQL URL from BENCH_POSTGRES_URL', () => {
    assert.equal(
      parseOptions([], { BENCH_POSTGRES_URL: 'postgres://x@127.0.0.1/y' }).postgresUrl,
      'postgres://x@127.0.0.1/y',
    );
  });
});
