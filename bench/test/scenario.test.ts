import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickCountingFirsts } from '../src/scenario.js';

describe('pickCountingFirsts', () => {
  it('counts each item once, the first time a request names it', () => {
    const items = ['a', 'b', 'c'];
    const { next, uses } = pickCountingFirsts(items);
    const named = new Set<string>();
    for (let i = 0; i < 200; i++) named.add(next());
    assert.deepEqual([...named].sort(), items);
    assert.deepEqual(uses, { sent: 200, firsts: 3 });
  });

  it('names every item once in the first pass, counting each as a first use, then picks at random', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const { next, eachOnce, uses } = pickCountingFirsts(items);
    const pass = Array.from({ length: items.length }, eachOnce);
    assert.deepEqual(
      [...pass].sort((a, b) => a - b),
      items,
    );
    assert.notDeepEqual(pass, items, 'the pass is in a random order');
    assert.deepEqual(uses, { sent: 50, firsts: 50 });
    for (let i = 0; i < 100; i++) assert.ok(items.includes(eachOnce()) && items.includes(next()));
    assert.deepEqual(uses, { sent: 250, firsts: 50 });
  });

  it('counts none before the first request', () => {
    assert.deepEqual(pickCountingFirsts(['a']).uses, { sent: 0, firsts: 0 });
  });
});
