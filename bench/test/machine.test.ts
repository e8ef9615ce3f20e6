import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cpuSteadiness, machineCosts, slowWindows } from '../src/machine.js';

it('measures a JavaScript loop and a system call, each a positive, finite cost', () => {
  const { jsLoopNs, syscallUs } = machineCosts();
  for (const [name, value] of Object.entries({ jsLoopNs, syscallUs }))
    assert.ok(Number.isFinite(value) && value > 0, `${name}: ${value}`);
  // A system call crosses into the kernel and back: never cheaper than one loop iteration.
  assert.ok(syscallUs * 1000 > jsLoopNs, `${syscallUs} µs against ${jsLoopNs} ns`);
});

it("counts the windows that got under half the median window's work, and the slowest", () => {
  assert.deepEqual(slowWindows(Int32Array.of(100, 100, 40, 100)), {
    slowWindowsPct: 25,
    slowestWindowPct: 40,
  });
  // Half the median is not under half: a window must fall below it to count.
  assert.deepEqual(slowWindows(Int32Array.of(50, 100, 100, 100)), {
    slowWindowsPct: 0,
    slowestWindowPct: 50,
  });
  assert.deepEqual(slowWindows(Int32Array.of(10, 9, 120, 100, 110, 100)), {
    slowWindowsPct: (100 * 2) / 6,
    slowestWindowPct: 9,
  });
  // No work in most windows (a stopped CPU, or windows too short to finish a chunk) is all slow.
  assert.deepEqual(slowWindows(Int32Array.of(0, 0, 5)), { slowWindowsPct: 100, slowestWindowPct: 0 });
});

it('measures the steadiness of the CPU in percent, within its bounds', () => {
  const { slowWindowsPct, slowestWindowPct } = cpuSteadiness(0.2);
  assert.ok(slowWindowsPct >= 0 && slowWindowsPct <= 100, `slow windows ${slowWindowsPct} %`);
  assert.ok(slowestWindowPct >= 0 && slowestWindowPct <= 100, `slowest window ${slowestWindowPct} %`);
});
