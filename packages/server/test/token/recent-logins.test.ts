import assert from 'node:assert/strict';
import { it } from 'node:test';
import { recentLogins } from '../../src/token/recent-logins.js';

const app = (id: string) => ({ table: 'applications' as const, id });
const rows = (...ids: string[]) => new Map([['applications' as const, new Set(ids)]]);

it('a row set in the current window is not due again until the next one', () => {
  const recent = recentLogins(60_000);
  const t = 1_000_000;
  assert.equal(recent.due(app('a'), t), true);
  recent.committed(rows('a'), t);
  assert.equal(recent.due(app('a'), t + 59_999), false);
  assert.equal(recent.due(app('b'), t + 1), true, 'another row');
  assert.equal(recent.due({ table: 'users', id: 'a' }, t + 1), true, 'the same id in another table');
  assert.equal(recent.due(app('a'), t + 60_000), true, 'the next window');
});

it('a batch that set a time from before the window does not make its rows fresh', () => {
  const recent = recentLogins(60_000);
  const t = 1_000_000;
  assert.equal(recent.due(app('a'), t), true);
  assert.equal(recent.due(app('b'), t + 60_000), true, 'a new window starts');
  recent.committed(rows('a'), t + 30_000);
  assert.equal(recent.due(app('a'), t + 60_001), true);
  recent.committed(rows('a'), t + 60_001);
  assert.equal(recent.due(app('a'), t + 60_002), false);
});

it('an empty batch changes nothing', () => {
  const recent = recentLogins(60_000);
  recent.committed(new Map(), 0);
  recent.committed(rows('a'), 5_000_000);
  assert.equal(recent.due(app('a'), 5_000_001), false);
});
