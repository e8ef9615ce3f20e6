import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import { pythonSafeJson } from '../../src/token/python-safe-json.js';

const TRICKY = ['>', '?', '~', '\u007f', 'é', 'ß', '日本', '😀', '"', '\\', '\n', '<', '&', '-', '_'];

function randomText(): string {
  let out = '';
  const length = randomInt(0, 40);
  for (let i = 0; i < length; i++) {
    out += randomInt(3) === 0 ? TRICKY[randomInt(TRICKY.length)] : String.fromCharCode(randomInt(32, 127));
  }
  return out;
}

describe('pythonSafeJson', () => {
  it('round-trips to the same value and encodes without "-", "_" or padding, for 10,000 random claim sets', () => {
    for (let i = 0; i < 10_000; i++) {
      const claims = {
        iss: `https://${randomText()}`,
        sub: randomBytes(16).toString('hex'),
        name: randomText(),
        email: `${randomText()}@example.com`,
        groups: [randomText(), randomText()],
        exp: randomInt(2 ** 31),
      };
      const json = pythonSafeJson(claims);
      assert.deepEqual(JSON.parse(json), claims);
      const encoded = Buffer.from(json, 'utf8').toString('base64url');
      assert.doesNotMatch(encoded, /[-_=]/, json);
      assert.equal(encoded.length % 4, 0);
      assert.deepEqual(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')), claims);
    }
  });

  it('is plain JSON.stringify output when nothing needs escaping or padding, and pads before the brace', () => {
    assert.equal(pythonSafeJson({ a: 12, b: 'xyz' }), '{"a":12,"b":"xyz"}');
    assert.equal(pythonSafeJson({ a: 1, b: 'xyz' }), '{"a":1,"b":"xyz" }');
    assert.equal(pythonSafeJson({ q: 'a?b' }), '{"q":"a\\u003fb"  }');
  });
});
