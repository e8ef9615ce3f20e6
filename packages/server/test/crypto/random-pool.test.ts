import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pooledRandomBytes } from '../../src/crypto/random-pool.js';

test('pooled random bytes: the asked length, fresh across refills, never handed out twice', () => {
  const seen = new Set<string>();
  // 1,000 × 16 bytes crosses the 4 KiB pool several times.
  for (let i = 0; i < 1000; i++) {
    const bytes = pooledRandomBytes(16);
    assert.equal(bytes.length, 16);
    seen.add(Buffer.from(bytes).toString('hex'));
  }
  assert.equal(seen.size, 1000);
});

test('pooled random bytes: more than the pool at once is refused', () => {
  assert.throws(() => pooledRandomBytes(4097), RangeError);
});
