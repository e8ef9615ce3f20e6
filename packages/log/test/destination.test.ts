import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { LOG_FLUSH_INTERVAL_MS, LogDestination } from '../src/destination.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('log destination', () => {
  it('holds lines below the buffer size, then writes them within the flush interval', async () => {
    const file = join(dir, 'buffered.log');
    const destination = new LogDestination(4096, openSync(file, 'w'));
    const log = pino({}, destination);
    try {
      log.info({ n: 1 }, 'one');
      log.info({ n: 2 }, 'two');
      await sleep(20);
      // A timer due before the periodic flush runs first, whatever the machine's speed.
      assert.deepEqual(lines(file), [], 'nothing written yet');
      await sleep(LOG_FLUSH_INTERVAL_MS + 200);
      assert.deepEqual(
        lines(file).map((line) => JSON.parse(line).msg),
        ['one', 'two'],
      );
    } finally {
      await destination.end();
    }
  });

  it('writes each line as it is logged with a buffer of 0', async () => {
    const file = join(dir, 'unbuffered.log');
    const destination = new LogDestination(0, openSync(file, 'w'));
    const log = pino({}, destination);
    try {
      log.info('now');
      for (let i = 0; i < 500 && lines(file).length === 0; i++) await sleep(2);
      assert.equal(JSON.parse(lines(file)[0] as string).msg, 'now');
    } finally {
      await destination.end();
    }
  });

  it('refuses a buffer outside 0–8192 bytes', () => {
    for (const bytes of [-1, 1.5, 8193]) assert.throws(() => new LogDestination(bytes), RangeError);
  });

  // In a child process: what matters is what reaches its stdout when it ends.
  const run = (ending: string) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import pino from 'pino';
         import { LogDestination } from ${JSON.stringify(new URL('../src/destination.ts', import.meta.url).href)};
         const log = pino({}, new LogDestination(8192));
         for (let i = 0; i < 20; i++) log.info({ i }, 'buffered');
         ${ending}`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );

  for (const [how, ending] of [
    ['process.exit()', 'process.exit(3);'],
    ['an uncaught exception', "setTimeout(() => { throw new Error('boom'); }, 10);"],
    [
      'SIGTERM with a handler that exits',
      "process.once('SIGTERM', () => process.exit(0)); process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000);",
    ],
  ] as const) {
    it(`writes every buffered line when the process ends by ${how}`, () => {
      const result = run(ending);
      const written = result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        written.map((entry) => entry.i),
        Array.from({ length: 20 }, (_, i) => i),
        `stdout: ${result.stdout}\nstderr: ${result.stderr}`,
      );
    });
  }
});
