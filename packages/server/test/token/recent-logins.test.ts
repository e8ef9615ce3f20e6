import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LAST_LOGIN_RESOLUTION_MS, recentLogins } from '../../src/token/recent-logins.js';

const app = (id: string) => ({ table: 'applications' as const, id });
const rows = (...ids: string[]) => new Map([['applications' as const, new Set(ids)]]);
const minute = { ...LAST_LOGIN_RESOLUTION_MS, applications: 60_000 };

it('a row set is due again between half its resolution and the whole of it later', () => {
  for (const [draw, dueAfter] of [
    [0, 30_000],
    [0.5, 45_000],
    [0.999_999, 59_999.97],
  ] as const) {
    const recent = recentLogins(minute, () => draw);
    const t = 1_000_000;
    assert.equal(recent.due(app('a'), t), true);
    recent.committed(rows('a'), t);
    assert.equal(recent.due(app('a'), t + dueAfter - 1), false, `draw ${draw}: not yet`);
    assert.equal(recent.due(app('b'), t + 1), true, 'another row');
    assert.equal(recent.due({ table: 'users', id: 'a' }, t + 1), true, 'the same id in another table');
    assert.equal(recent.due(app('a'), t + Math.ceil(dueAfter)), true, `draw ${draw}: due`);
  }
});

it('spreads the rows of one batch over the second half of the resolution', () => {
  const recent = recentLogins(minute);
  const ids = Array.from({ length: 1_000 }, (_, i) => `r${i}`);
  recent.committed(rows(...ids), 0);
  const dueBy = (t: number) => ids.filter((id) => recent.due(app(id), t)).length;
  assert.equal(dueBy(29_999), 0);
  assert.ok(dueBy(45_000) > 300 && dueBy(45_000) < 700, `about half due at 3/4: ${dueBy(45_000)}`);
  assert.equal(dueBy(60_000), 1_000);
});

it('keeps a row known across a generation, and forgets it once it is due', () => {
  const recent = recentLogins(minute, () => 1);
  recent.committed(rows('a'), 0);
  recent.committed(rows('b'), 59_000);
  // The generation rolls at 60 s: `a` (due at 60 s) and `b` (due at 119 s) are in the previous one.
  assert.equal(recent.due(app('a'), 60_000), true);
  assert.equal(recent.due(app('b'), 118_999), false, 'found in the previous generation');
  recent.committed(rows('b'), 119_000);
  // At 120 s the generation holding the first `b` is dropped; the second `b` is kept.
  assert.equal(recent.due(app('b'), 121_000), false);
  assert.equal(recent.due(app('b'), 179_000), true);
});

it('a batch committed late does not bring a row due sooner than a newer batch did', () => {
  const recent = recentLogins(minute, () => 1);
  recent.committed(rows('a'), 50_000);
  recent.committed(rows('a'), 10_000);
  assert.equal(recent.due(app('a'), 100_000), false);
  assert.equal(recent.due(app('a'), 110_000), true);
});

it('an empty batch changes nothing; a cluster keeps a minute, an application ten', () => {
  const recent = recentLogins(LAST_LOGIN_RESOLUTION_MS, () => 1);
  recent.committed(new Map(), 0);
  recent.committed(
    new Map([
      ['clusters', new Set(['c'])],
      ['applications', new Set(['a'])],
    ]),
    0,
  );
  assert.equal(recent.due({ table: 'clusters', id: 'c' }, 59_999), false);
  assert.equal(recent.due({ table: 'clusters', id: 'c' }, 60_000), true);
  assert.equal(recent.due(app('a'), 599_999), false);
  assert.equal(recent.due(app('a'), 600_000), true);
});
