import assert from 'node:assert/strict';
import { it } from 'node:test';
import { machineCosts } from '../src/machine.js';

it('measures a JavaScript loop and a system call, each a positive, finite cost', () => {
  const { jsLoopNs, syscallUs } = machineCosts();
  for (const [name, value] of Object.entries({ jsLoopNs, syscallUs }))
    assert.ok(Number.isFinite(value) && value > 0, `${name}: ${value}`);
  // A system call crosses into the kernel and back: never cheaper than one loop iteration.
  assert.ok(syscallUs * 1000 > jsLoopNs, `${syscallUs} µs against ${jsLoopNs} ns`);
});
