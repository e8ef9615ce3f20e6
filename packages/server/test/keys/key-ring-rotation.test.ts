import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { loadMasterKey } from '../../src/crypto/master-key.js';
import { ensureSigningKey, openKeyRing } from '../../src/keys/key-ring.js';
import type { Store } from '../../src/store/store.js';
import { mintAccessToken } from '../../src/token/mint.js';
import { forEachStore } from '../helpers/each-store.js';
import { openMigratedStore } from '../helpers/migrated-store.js';
import type { TestDatabase } from '../helpers/stores.js';

const subject = { id: 'a1', type: 'app' as const, tenantId: 1, clientId: 'c1' };

// Rotation with a controlled clock: a token signed before a rotation keeps verifying against the
// published keys until it has expired; then its key leaves the JWKS.
forEachStore('signing-key rotation', (kind) => {
  let db: TestDatabase;
  let store: Store;
  before(async () => {
    ({ database: db, store } = await openMigratedStore(kind));
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  it('old tokens verify until they expire; new tokens carry the new kid', async () => {
    const master = loadMasterKey(undefined, db.dataDir);
    await ensureSigningKey(store.db, master, 'ES256');
    let clock = Date.now();
    const ttlSec = 600;
    const ring = await openKeyRing({
      db: store.db,
      master,
      algorithm: 'ES256',
      keepRetiredMs: ttlSec * 1000,
      now: () => clock,
    });
    const options = { issuer: 'https://issuer.test', audience: 'runai', ttlSec };
    const before = await mintAccessToken(ring, { ...options, now: clock }, subject);
    const oldKid = ring.active().kid;

    await ring.rotate();
    const newKid = ring.active().kid;
    assert.notEqual(newKid, oldKid);
    const afterRotation = await mintAccessToken(ring, { ...options, now: clock }, subject);
    const verify = (token: string) =>
      jwtVerify(token, createLocalJWKSet(ring.jwks()), {
        issuer: options.issuer,
        audience: 'runai',
        currentDate: new Date(clock),
      });
    assert.equal((await verify(before.token)).protectedHeader.kid, oldKid);
    assert.equal((await verify(afterRotation.token)).protectedHeader.kid, newKid);
    assert.deepEqual(
      ring
        .jwks()
        .keys.map((k) => k.kid)
        .sort(),
      [oldKid, newKid].sort(),
    );

    clock += (ttlSec - 1) * 1000; // just before the old token expires: still published
    await ring.reload();
    await verify(before.token);

    clock += 2000; // every token the old key signed has expired: it is withdrawn
    await ring.reload();
    assert.deepEqual(
      ring.jwks().keys.map((k) => k.kid),
      [newKid],
    );
  });

  it('hands out keys signed where it was told, the rotated key too (off the event loop by default)', async () => {
    const master = loadMasterKey(undefined, db.dataDir);
    const ring = await openKeyRing({ db: store.db, master, algorithm: 'ES256', keepRetiredMs: 60_000 });
    assert.equal(ring.active().offEventLoop, true);
    const inPlace = await openKeyRing({
      db: store.db,
      master,
      algorithm: 'ES256',
      keepRetiredMs: 60_000,
      signOffEventLoop: false,
    });
    assert.equal(inPlace.active().offEventLoop, false);
    assert.equal((await inPlace.rotate()).offEventLoop, false);
  });
});
