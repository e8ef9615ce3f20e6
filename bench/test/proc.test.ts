import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { coresBetween, cpuSeconds, cpuSecondsOf, mainThreadCpuSeconds } from '../src/proc.js';

describe('bench process CPU', () => {
  it('reads the CPU of every process of a command, this one included', () => {
    const nodes = cpuSecondsOf('node');
    assert.ok(nodes.has(process.pid));
    assert.ok((nodes.get(process.pid) ?? -1) <= cpuSeconds(process.pid));
    assert.equal(cpuSecondsOf('no-such-command-here').size, 0);
  });

  it("reads the main thread's CPU apart from a worker thread's", async () => {
    const [mainBefore, allBefore] = [mainThreadCpuSeconds(process.pid), cpuSeconds(process.pid)];
    // A worker spins for 300 ms while this thread waits: the process's CPU grows, the main thread's barely.
    const worker = new Worker('const end = Date.now() + 300; while (Date.now() < end);', { eval: true });
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
