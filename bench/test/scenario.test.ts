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

  it('counts none before the first request', () => {
    assert.deepEqual(pickCountingFirsts(['a']).uses, { sent: 0, firsts: 0 });
  });
});
