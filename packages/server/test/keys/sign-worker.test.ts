import assert from 'node:assert/strict';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { signOffEventLoop, stopSignWorker, type SignOptions } from '../../src/keys/sign-worker.js';

const ES256: SignOptions = { hash: 'sha256', dsaEncoding: 'ieee-p1363' };
const EDDSA: SignOptions = { hash: null };

const valid = (publicKey: KeyObject, options: SignOptions, input: string, signature: string) =>
  verify(
    options.hash,
    Buffer.from(input, 'latin1'),
    { key: publicKey, dsaEncoding: options.dsaEncoding },
    Buffer.from(signature, 'base64url'),
  );

describe('signOffEventLoop', () => {
  it('signs a turn’s signatures together, each with its own key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    const inputs = Array.from({ length: 40 }, (_, i) => `header.payload-${i}`);
    // One turn of the event loop: every call before the batch leaves.
    const signatures = await Promise.all(
      inputs.map((input, i) =>
        i % 2 ? signOffEventLoop(ec.privateKey, ES256, input) : signOffEventLoop(ed.privateKey, EDDSA, input),
      ),
    );
    inputs.forEach((input, i) => {
      const [own, other] = i % 2 ? [ec, ed] : [ed, ec];
      const options = i % 2 ? ES256 : EDDSA;
      assert.equal(valid(own.publicKey, options, input, signatures[i]!), true, `signature ${i}`);
      assert.equal(
        valid(own.publicKey, options, `${input}x`, signatures[i]!),
        false,
        `signature ${i} on other bytes`,
      );
      // The other key's type refuses the signature, or verifies it as false.
      assert.notEqual(
        (() => {
          try {
            return valid(other.publicKey, options, input, signatures[i]!);
          } catch {
            return 'refused';
          }
        })(),
        true,
      );
    });
  });

  it('fails only the signature node:crypto refuses, not the rest of its batch', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    const [good, bad] = await Promise.allSettled([
      signOffEventLoop(ec.privateKey, ES256, 'a.b'),
      // Ed25519 hashes by itself: asked for SHA-256 too, OpenSSL refuses ("invalid digest").
      signOffEventLoop(ed.privateKey, ES256, 'a.b'),
    ]);
    assert.equal(good.status, 'fulfilled');
    assert.equal(valid(ec.publicKey, ES256, 'a.b', (good as PromiseFulfilledResult<string>).value), true);
    assert.equal(bad.status, 'rejected');
    assert.match(String((bad as PromiseRejectedResult).reason), /invalid digest/);
  });

  it('answers every signature when the worker ends before answering, and starts a new one after', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const inputs = Array.from({ length: 30 }, (_, i) => `h.p-${i}`);
    const pending = inputs.map((input) => signOffEventLoop(ec.privateKey, ES256, input));
    // The batch leaves at the end of this turn; the worker is ended right after, still starting.
    await new Promise((resolve) => setImmediate(resolve));
    await stopSignWorker();
    const signatures = await Promise.all(pending);
    inputs.forEach((input, i) => assert.equal(valid(ec.publicKey, ES256, input, signatures[i]!), true));
    const later = await signOffEventLoop(ec.privateKey, ES256, 'h.later');
    assert.equal(valid(ec.publicKey, ES256, 'h.later', later), true);
    await stopSignWorker();
  });
});
