import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactSign, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { GuardError } from '../../src/errors.js';
import { createTokenVerifier } from '../../src/token/verifier.js';

async function setup() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const sign = (sub: string) => {
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'http://cp',
      sub,
      aud: 'runai',
      exp: iat + 60,
      iat,
      jti: uuidv7(),
      client_id: sub,
      tenant_id: 1,
      subject_type: 'app',
    };
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
      .sign(privateKey);
  };
  return { keys: createLocalJWKSet({ keys: [jwk] }), sign };
}

describe('verifier while the control plane is unreachable', () => {
  it('keeps accepting tokens it verified before and refuses new ones', async () => {
    const { keys, sign } = await setup();
    let online = true;
    const verifier = createTokenVerifier({
      issuer: 'http://cp',
      audience: 'runai',
      keys,
      acceptUncached: () => online,
    });
    const known = await sign('a1');
    const unseen = await sign('a2');
    assert.equal((await verifier.verify(known)).sub, 'a1');
    online = false;
    assert.equal((await verifier.verify(known)).sub, 'a1');
    await assert.rejects(
      verifier.verify(unseen),
      (err: GuardError) => err.code === 'CONTROL_PLANE_UNREACHABLE' && err.status === 401,
    );
    online = true;
    assert.equal((await verifier.verify(unseen)).sub, 'a2');
  });

  it('checks revocation on every call, cached or not', async () => {
    const { keys, sign } = await setup();
    let revoked = false;
    const verifier = createTokenVerifier({
      issuer: 'http://cp',
      audience: 'runai',
      keys,
      isRevoked: () => revoked,
    });
    const token = await sign('a1');
    await verifier.verify(token);
    revoked = true;
    await assert.rejects(verifier.verify(token), (err: GuardError) => err.code === 'TOKEN_REVOKED');
  });
});
