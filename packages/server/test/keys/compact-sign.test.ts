import assert from 'node:assert/strict';
import { KeyObject, pbkdf2 } from 'node:crypto';
import { test } from 'node:test';
import { compactVerify, decodeProtectedHeader, generateKeyPair } from 'jose';
import type { SigningAlgorithm } from '../../src/config/config.js';
import { longThreadPoolJob } from '../../src/crypto/thread-pool.js';
import { compactSign } from '../../src/keys/compact-sign.js';

const ALGORITHMS: SigningAlgorithm[] = ['ES256', 'RS256', 'EdDSA'];

for (const alg of ALGORITHMS) {
  test(`compact JWS signed with node:crypto verifies with jose: ${alg}`, async () => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const key = { alg, keyObject: KeyObject.from(privateKey) };
    // Non-ASCII in the payload: base64url of the UTF-8 bytes, as RFC 7515 says.
    const payload = JSON.stringify({ sub: 'app-1', name: 'Zoë – ☃' });
    const jws = await compactSign(key, { alg, kid: 'k1', typ: 'at+jwt' }, payload);
    const { payload: verified, protectedHeader } = await compactVerify(jws, publicKey, { algorithms: [alg] });
    assert.equal(new TextDecoder().decode(verified), payload);
    assert.deepEqual(protectedHeader, { alg, kid: 'k1', typ: 'at+jwt' });
    assert.deepEqual(decodeProtectedHeader(jws), protectedHeader);
    // A changed payload does not verify.
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${s}`;
    await assert.rejects(compactVerify(forged, publicKey, { algorithms: [alg] }));
  });
}

test('compact JWS: a header naming another algorithm than the key is refused', async () => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  await assert.rejects(
    () =>
      compactSign(
        { alg: 'ES256', keyObject: KeyObject.from(privateKey) },
        { alg: 'RS256', kid: 'k', typ: 'JWT' },
        '{}',
      ),
    /does not match/,
  );
});

test('compact JWS signed on the event loop while long jobs hold the thread pool verifies too', async () => {
  let release = () => {};
  const held = longThreadPoolJob(() => new Promise<void>((resolve) => (release = resolve)));
  try {
    for (const alg of ALGORITHMS) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const jws = await compactSign(
        { alg, keyObject: KeyObject.from(privateKey) },
        { alg, kid: 'k', typ: 'JWT' },
        '{"a":1}',
      );
      const { payload } = await compactVerify(jws, publicKey, { algorithms: [alg] });
      assert.equal(new TextDecoder().decode(payload), '{"a":1}');
    }
  } finally {
    release();
    await held;
  }
});

test('a key marked offEventLoop: false is signed at once; otherwise on the worker, not behind busy pool threads', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const key = { alg: 'ES256' as const, keyObject: KeyObject.from(privateKey) };
  const header = { alg: 'ES256' as const, kid: 'k', typ: 'JWT' };
  const order: string[] = [];
  // Busy every thread of libuv's pool (4 unless UV_THREADPOOL_SIZE says otherwise) for a while.
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const busy = Array.from(
    { length: threads },
    () =>
      new Promise<void>((resolve, reject) =>
        pbkdf2('p', 's', 400_000, 32, 'sha256', (err) => {
          order.push('pool job');
          if (err) reject(err);
          else resolve();
        }),
      ),
  );
  const inPlace = compactSign({ ...key, offEventLoop: false }, header, '{"a":1}').then((jws) => {
    order.push('event loop');
    return jws;
  });
  const onWorker = compactSign({ ...key, offEventLoop: true }, header, '{"a":2}').then((jws) => {
    order.push('worker');
    return jws;
  });
  const [jwsInPlace, jwsOnWorker] = await Promise.all([inPlace, onWorker, ...busy]);
  assert.deepEqual(order.slice(0, 2), ['event loop', 'worker'], order.join(', '));
  for (const jws of [jwsInPlace, jwsOnWorker])
    await compactVerify(jws as string, publicKey, { algorithms: ['ES256'] });
});
