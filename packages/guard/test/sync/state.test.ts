import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { isAllowed } from '../../src/authorization/evaluate.js';
import { SyncedState } from '../../src/sync/state.js';
import type { FeedSnapshot } from '../../src/sync/wire.js';
import type { AccessTokenClaims } from '../../src/token/claims.js';

const CLUSTER = '3f1c2b9e-4d5a-4e6f-8a7b-1c2d3e4f5a6b';

function snapshot(): FeedSnapshot {
  return {
    cursor: 10,
    tenantId: 1,
    clusterId: CLUSTER,
    issuer: 'http://cp',
    audience: 'runai',
    subjects: [
      { type: 'app', id: 'a1', enabled: true, validAfter: 0 },
      { type: 'user', id: 'u1', email: 'ann@example.com', enabled: true, validAfter: 0 },
    ],
    rules: [
      { id: 1, subjectType: 'app', subjectId: 'a1', roleId: 5, scopeType: 'project', scopeId: '7' },
      { id: 2, subjectType: 'group', subjectId: 'ml', roleId: 8, scopeType: 'department', scopeId: '2' },
    ],
    departments: [{ id: '2', name: 'research', clusterId: CLUSTER }],
    projects: [
      { id: '7', name: 'p7', departmentId: '2', clusterId: null },
      { id: '8', name: 'p8', departmentId: null, clusterId: 'another-cluster' },
    ],
  };
}

const claims = (over: Partial<AccessTokenClaims> = {}, mintedAt = Date.now()): AccessTokenClaims => ({
  iss: 'http://cp',
  sub: 'a1',
  aud: 'runai',
  exp: Math.floor(mintedAt / 1000) + 60,
  iat: Math.floor(mintedAt / 1000),
  jti: uuidv7({ msecs: mintedAt }),
  client_id: 'a1',
  tenant_id: 1,
  subject_type: 'app',
  ...over,
});

describe('SyncedState', () => {
  it('revokes tokens minted before validAfter, of disabled, deleted, unknown or foreign subjects', () => {
    const state = new SyncedState();
    assert.equal(state.isRevoked(claims()), true, 'nothing is trusted before the first snapshot');
    state.applySnapshot(snapshot());
    const minted = Date.now() - 1000;
    assert.equal(state.isRevoked(claims({}, minted)), false);
    assert.equal(state.isRevoked(claims({ tenant_id: 2 }, minted)), true);
    assert.equal(state.isRevoked(claims({ sub: 'nobody' }, minted)), true);
    assert.equal(state.isRevoked(claims({ subject_type: 'cluster' }, minted)), true);

    state.applyChange({ kind: 'subject', type: 'app', id: 'a1', enabled: true, validAfter: minted + 1 });
    assert.equal(state.isRevoked(claims({}, minted)), true, 'minted 1 ms before validAfter');
    assert.equal(state.isRevoked(claims({}, minted + 1)), false);
    state.applyChange({ kind: 'subject', type: 'app', id: 'a1', enabled: false, validAfter: minted + 1 });
    assert.equal(state.isRevoked(claims({}, minted + 5)), true);
    state.applyChange({
      kind: 'subject',
      type: 'app',
      id: 'a1',
      enabled: false,
      deleted: true,
      validAfter: 0,
    });
    assert.equal(state.isRevoked(claims({}, minted + 5)), true);
  });

  it('refuses a user token minted from an access key that is gone, not theirs, or regenerated since', () => {
    const state = new SyncedState();
    state.applySnapshot({
      ...snapshot(),
      subjects: [
        ...snapshot().subjects,
        { type: 'access-key', id: 'ak-k1', userId: 'u1', enabled: true, validAfter: 0 },
      ],
    });
    const minted = Date.now() - 1000;
    const viaKey = (over: Partial<AccessTokenClaims> = {}, at = minted) =>
      claims({ sub: 'u1', subject_type: 'user', email: 'ann@example.com', client_id: 'ak-k1', ...over }, at);
    assert.equal(state.isRevoked(viaKey()), false);
    assert.equal(state.isRevoked(viaKey({ client_id: 'runai' })), false, 'a password token is no key token');
    assert.equal(
      state.isRevoked(viaKey({ client_id: 'ak-unknown' })),
      true,
      'an unknown key is a deleted one',
    );
    state.applyChange({ kind: 'subject', type: 'user', id: 'u2', enabled: true, validAfter: 0 });
    assert.equal(state.isRevoked(viaKey({ sub: 'u2' })), true, "another user's key");
    state.applyChange({
      kind: 'subject',
      type: 'access-key',
      id: 'ak-k1',
      userId: 'u1',
      enabled: true,
      validAfter: minted + 1,
    });
    assert.equal(state.isRevoked(viaKey()), true, 'minted before the key was regenerated');
    assert.equal(state.isRevoked(viaKey({}, minted + 2)), false);
    state.applyChange({
      kind: 'subject',
      type: 'access-key',
      id: 'ak-k1',
      enabled: false,
      deleted: true,
      validAfter: Number.MAX_SAFE_INTEGER,
    });
    assert.equal(state.isRevoked(viaKey({}, minted + 2)), true, 'the key was deleted');
  });

  it('finds rules by app id, user email and groups; follows rule changes', () => {
    const state = new SyncedState();
    state.applySnapshot(snapshot());
    assert.deepEqual(
      state.rulesFor(claims()).map((r) => r.id),
      [1],
    );
    const user = claims({ sub: 'u1', subject_type: 'user', email: 'ann@example.com', groups: ['ml'] });
    assert.deepEqual(
      state.rulesFor(user).map((r) => r.id),
      [2],
    );
    state.applyChange({ kind: 'rule-deleted', ruleId: 1 });
    assert.deepEqual(state.rulesFor(claims()), []);
    state.applyChange({
      kind: 'rule-created',
      rule: { id: 3, subjectType: 'app', subjectId: 'a1', roleId: 8, scopeType: 'tenant', scopeId: '1' },
    });
    assert.deepEqual(
      state.rulesFor(claims()).map((r) => r.id),
      [3],
    );
    assert.equal(state.applyChange({ kind: 'resync' }), false, 'resync asks for a snapshot');
  });

  it('works out a token’s rules once, and again after every rule change or snapshot', () => {
    const state = new SyncedState();
    state.applySnapshot(snapshot());
    // One claims object, as the verifier's cache hands to every request with the same token.
    const token = claims({}, Date.now() - 1000);
    const first = state.rulesFor(token);
    assert.equal(state.rulesFor(token), first, 'the same rules for the same verified claims');
    assert.ok(Object.isFrozen(first), 'shared by requests, so nobody may change them');
    state.applyChange({
      kind: 'rule-created',
      rule: { id: 3, subjectType: 'app', subjectId: 'a1', roleId: 8, scopeType: 'tenant', scopeId: '1' },
    });
    assert.deepEqual(
      state.rulesFor(token).map((r) => r.id),
      [1, 3],
    );
    state.applyChange({ kind: 'rule-deleted', ruleId: 1 });
    assert.deepEqual(
      state.rulesFor(token).map((r) => r.id),
      [3],
    );
    state.applySnapshot(snapshot());
    assert.deepEqual(
      state.rulesFor(token).map((r) => r.id),
      [1],
    );
    assert.equal(state.isRevoked(token), false);
    state.applyChange({ kind: 'subject', type: 'app', id: 'a1', enabled: false, validAfter: 0 });
    assert.equal(state.isRevoked(token), true, 'revocation is read from the subjects every time');
  });

  it('serves projects of its cluster (directly or through the department) with their ancestry', () => {
    const state = new SyncedState();
    state.applySnapshot(snapshot());
    assert.deepEqual(
      state.servedProjects().map((p) => p.id),
      ['7'],
    );
    assert.equal(state.servedProject('8'), undefined);
    const ancestry = state.ancestryOf(state.servedProject('7')!);
    assert.deepEqual(ancestry, [
      { type: 'project', id: '7' },
      { type: 'department', id: '2' },
      { type: 'cluster', id: CLUSTER },
      { type: 'tenant', id: '1' },
    ]);
    const rules = state.rulesFor(claims());
    assert.equal(isAllowed(rules, { resourceType: 'trainings', action: 'create', ancestry }), true);
  });
});
