import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { createTokenVerifier, GuardError, issuedAtMs, type GuardErrorCode } from '../../src/index.js';

const ISSUER = 'https://tessera.test';
const { publicKey, privateKey } = await generateKeyPair('ES256');
const other = await generateKeyPair('ES256');
const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
const keys = createLocalJWKSet({ keys: [jwk] });

const baseClaims = () => ({ client_id: 'c', tenant_id: 1, subject_type: 'app', jti: uuidv7() });

async function sign(
  overrides: {
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
    key?: typeof privateKey;
    exp?: string | number;
  } = {},
) {
  return new SignJWT({ ...baseClaims(), ...overrides.claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt', ...overrides.header })
    .setIssuer(ISSUER)
    .setAudience('runai')
    .setSubject('app-1')
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? '1h')
    .sign(overrides.key ?? privateKey);
}

async function refusal(
  token: string,
  verifier = createTokenVerifier({ issuer: ISSUER, audience: 'runai', keys }),
) {
  try {
    await verifier.verify(token);
  } catch (err) {
    assert.ok(err instanceof GuardError);
    assert.equal(err.status, 401);
    return err.code;
  }
  assert.fail('token was accepted');
}

describe('createTokenVerifier', () => {
  it('accepts a well-formed token and returns its claims', async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'runai', keys });
    const claims = await verifier.verifyHeader(`Bearer ${await sign()}`);
    assert.equal(claims.sub, 'app-1');
    assert.equal(claims.subject_type, 'app');
  });

  it('refuses forged and unacceptable tokens with the right code', async () => {
    const valid = await sign();
    const [h, p, s] = valid.split('.') as [string, string, string];
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${p}.`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.${s}`;
    const cases: Array<[string, string, GuardErrorCode]> = [
      ['alg none', none, 'TOKEN_INVALID'],
      ['tampered payload', tampered, 'TOKEN_INVALID'],
      ['wrong signature key', await sign({ key: other.privateKey }), 'TOKEN_INVALID'],
      ['expired', await sign({ exp: Math.floor(Date.now() / 1000) - 120 }), 'TOKEN_EXPIRED'],
      [
        'not yet valid',
        await sign({ claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }),
        'TOKEN_NOT_YET_VALID',
      ],
      ['wrong typ', await sign({ header: { typ: 'JWT' } }), 'TOKEN_INVALID'],
      ['unknown kid', await sign({ header: { kid: 'nope' } }), 'KEY_UNKNOWN'],
      ['no tenant', await sign({ claims: { tenant_id: 'x' } }), 'TOKEN_INVALID'],
      ['truncated', valid.slice(0, valid.length - 10), 'TOKEN_INVALID'],
      ['extra segment', `${valid}.abc`, 'TOKEN_MALFORMED'],
    ];
    for (const [name, token, code] of cases) assert.equal(await refusal(token), code, name);
    const wrongIssuer = createTokenVerifier({ issuer: 'https://elsewhere', audience: 'runai', keys });
    assert.equal(await refusal(valid, wrongIssuer), 'TOKEN_INVALID');
    const wrongAudience = createTokenVerifier({ issuer: ISSUER, audience: 'other', keys });
    assert.equal(await refusal(valid, wrongAudience), 'TOKEN_INVALID');
  });

  it('refuses missing and malformed Authorization headers', async () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'runai', keys });
    for (const [header, code] of [
      [undefined, 'TOKEN_MISSING'],
      ['Basic abc', 'TOKEN_MALFORMED'],
      ['Bearer', 'TOKEN_MALFORMED'],
    ] as const) {
      await assert.rejects(verifier.verifyHeader(header), (err: GuardError) => err.code === code);
    }
  });

  it('checks revocation on every call, cached or not', async () => {
    let revoked = false;
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: 'runai',
      keys,
      isRevoked: () => revoked,
    });
    const token = await sign();
    await verifier.verify(token);
    await verifier.verify(token);
    revoked = true;
    await assert.rejects(verifier.verify(token), (err: GuardError) => err.code === 'TOKEN_REVOKED');
  });

  it('stops accepting a cached token once it expires', async () => {
    let now = Date.now();
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: 'runai',
      keys,
      now: () => now,
      clockToleranceSec: 0,
    });
    const token = await sign({ exp: Math.floor(now / 1000) + 60 });
    await verifier.verify(token);
    now += 61_000;
    await assert.rejects(verifier.verify(token), (err: GuardError) => err.code === 'TOKEN_EXPIRED');
  });
});

describe('verifyHeaderCached (the synchronous hot path)', () => {
  it('answers only for a token verified before, and checks revocation and expiry each time', async () => {
    let revoked = false;
    let now = Date.now();
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: 'runai',
      keys,
      isRevoked: () => revoked,
      now: () => now,
      clockToleranceSec: 0,
    });
    const token = await sign({ exp: Math.floor(now / 1000) + 60 });
    const header = `Bearer ${token}`;
    assert.equal(verifier.verifyHeaderCached(header), undefined, 'never verified: the caller verifies it');
    await verifier.verifyHeader(header);
    assert.equal(verifier.verifyHeaderCached(header)?.sub, 'app-1');
    revoked = true;
    assert.throws(
      () => verifier.verifyHeaderCached(header),
      (err: GuardError) => err.code === 'TOKEN_REVOKED',
    );
    revoked = false;
    now += 61_000;
    assert.equal(verifier.verifyHeaderCached(header), undefined, 'expired: dropped from the cache');
    await assert.rejects(verifier.verifyHeader(header), (err: GuardError) => err.code === 'TOKEN_EXPIRED');
  });

  it('leaves a revocation hook that answers asynchronously to verifyHeader', async () => {
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: 'runai',
      keys,
      isRevoked: async () => true,
    });
    const header = `Bearer ${await sign()}`;
    await assert.rejects(verifier.verifyHeader(header), (err: GuardError) => err.code === 'TOKEN_REVOKED');
    assert.equal(verifier.verifyHeaderCached(header), undefined);
  });

  it('refuses missing and malformed headers like verifyHeader', () => {
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: 'runai', keys });
    assert.throws(
      () => verifier.verifyHeaderCached(undefined),
      (err: GuardError) => err.code === 'TOKEN_MISSING',
    );
    assert.throws(
      () => verifier.verifyHeaderCached('Basic abc'),
      (err: GuardError) => err.code === 'TOKEN_MALFORMED',
    );
  });
});

describe('issuedAtMs', () => {
  it('reads the millisecond mint time from a UUIDv7 jti, else falls back to iat', () => {
    const ms = 1_795_000_000_123;
    assert.equal(issuedAtMs({ jti: uuidv7({ msecs: ms }), iat: 1 }), ms);
    assert.equal(issuedAtMs({ jti: 'not-a-uuid', iat: 1_795_000_000 }), 1_795_000_000_000);
  });
});
