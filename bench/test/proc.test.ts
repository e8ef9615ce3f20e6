import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  coresBetween,
  cpuSeconds,
  cpuSecondsOf,
  freePort,
  mainThreadCpuSeconds,
  SERVER_NODE_FLAGS,
  startChild,
} from '../src/proc.js';

describe('bench process CPU', () => {
  it('reads the CPU of every process of a command, this one included', () => {
    const nodes = cpuSecondsOf('node');
    assert.ok(nodes.has(process.pid));
    assert.ok((nodes.get(process.pid) ?? -1) <= cpuSeconds(process.pid));
    assert.equal(cpuSecondsOf('no-such-command-here').size, 0);
  });

  it("reads the main thread's CPU apart from a worker thread's", async () => {
    const [mainBefore, allBefore] = [mainThreadCpuSeconds(process.pid), cpuSeconds(process.pid)];
    // A worker does a fixed amount of work while this thread waits: the process's CPU grows, the main
    // thread's barely. A fixed count, not a time: under CI's parallel tests a worker spinning for 300 ms
    // of wall time got 0.19 s of CPU. 800 million iterations take 0.36 s or more at the fastest loop
    // seen here (0.45 ns an iteration, src/machine.ts).
    const worker = new Worker(
      'let x = 0; for (let i = 0; i < 800_000_000; i++) x = (x + i) | 0; require("node:worker_threads").parentPort.postMessage(x);',
      { eval: true },
    );
    worker.on('message', () => undefined);
    await new Promise((resolve) => worker.once('exit', resolve));
    const [mainUsed, allUsed] = [
      mainThreadCpuSeconds(process.pid) - mainBefore,
      cpuSeconds(process.pid) - allBefore,
    ];
    assert.ok(allUsed >= 0.2, `the process used ${allUsed} s`);
    assert.ok(mainUsed < allUsed - 0.15, `the main thread used ${mainUsed} s of ${allUsed}`);
  });

  it('adds up what each process used between two readings, counting new processes from zero', () => {
    const before = new Map([
      [1, 10],
      [2, 5],
    ]);
    const after = new Map([
      [1, 12],
      [2, 5.5],
      [3, 1.5],
    ]);
    assert.equal(coresBetween(before, after, 2), 2);
  });
});

describe('bench child servers', () => {
  it('starts every server with the harness-wide node flags, V8 memory reducer off', async () => {
    assert.deepEqual(SERVER_NODE_FLAGS, ['--no-memory-reducer']);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-proc-'));
    const port = await freePort();
    // A server that answers with the flags node started it with.
    const script = `require('node:http').createServer((q, s) => s.end(JSON.stringify(process.execArgv))).listen(${port}, '127.0.0.1')`;
    const url = `http://127.0.0.1:${port}`;
    const child = await startChild(['-e', script], {}, url, '/', join(dir, 'log'));
    try {
      const execArgv = (await (await fetch(url)).json()) as string[];
      assert.deepEqual(execArgv.slice(0, 2), ['--no-memory-reducer', '-e']);
    } finally {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
