import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coresBetween, cpuSeconds, cpuSecondsOf } from '../src/proc.js';

describe('bench process CPU', () => {
  it('reads the CPU of every process of a command, this one included', () => {
    const nodes = cpuSecondsOf('node');
    assert.ok(nodes.has(process.pid));
    assert.ok((nodes.get(process.pid) ?? -1) <= cpuSeconds(process.pid));
    assert.equal(cpuSecondsOf('no-such-command-here').size, 0);
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
