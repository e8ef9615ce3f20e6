import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { readChanges } from '../../src/feed/snapshot.js';
import type { Store } from '../../src/store/store.js';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// Deleting an application, a service account or a user deletes its access rules (and a user's access
// keys): clusters learn of each deleted rule and key from the change feed, as when one is deleted on
// its own, and need no full resync.
forEachStore(
  'deleting an application, service account or user: its rules and keys leave the feed one by one',
  (kind) => {
    let server: ServerProcess;
    let admin: string;
    let store: Store;

    before(async () => {
      server = await startServerProcess(kind);
      admin = await adminToken(server.url);
      store = openDirect(server.db);
    });
    after(async () => {
      await store?.close();
      await server?.dispose();
    });

    const lastCursor = async () =>
      Number(
        (
          await store.db
            .selectFrom('change_events')
            .select((eb) => eb.fn.max('id').as('id'))
            .executeTakeFirst()
        )?.id ?? 0,
      );

    for (const subject of [
      { type: 'app', path: '/api/v1/apps' },
      { type: 'service-account', path: '/api/v1/service-accounts' },
    ] as const) {
      it(`${subject.type}: a rule-deleted entry per rule, the subject marked deleted, no resync`, async () => {
        const created = await call(server.url, 'POST', subject.path, { name: `bot-${subject.type}` }, admin);
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const id = (created.body as { id: string }).id;
        const ruleIds: number[] = [];
        for (const roleId of [8, 2]) {
          const rule = await call(
            server.url,
            'POST',
            '/api/v1/authorization/access-rules',
            { subjectType: subject.type, subjectId: id, roleId, scopeType: 'tenant', scopeId: '1' },
            admin,
          );
          assert.equal(rule.status, 201, JSON.stringify(rule.body));
          ruleIds.push(Number((rule.body as { id: number | string }).id));
        }
        const cursor = await lastCursor();

        assert.equal(
          (await call(server.url, 'DELETE', `${subject.path}/${id}`, undefined, admin)).status,
          204,
        );

        const { changes, resync } = await readChanges(store.db, 1, cursor);
        assert.notEqual(resync, true);
        assert.deepEqual(
          changes
            .filter((c) => c.kind === 'rule-deleted')
            .map((c) => (c as { ruleId: number }).ruleId)
            .sort((a, b) => a - b),
          ruleIds.sort((a, b) => a - b),
        );
        assert.ok(
          changes.some((c) => c.kind === 'subject' && (c as { deleted?: boolean }).deleted === true),
          'the subject is published as deleted',
        );
        assert.ok(!changes.some((c) => c.kind === 'resync'), 'no full resync for one subject');
      });
    }

    it('user: its rules (by email) and access keys leave the feed one by one, no resync', async () => {
      const created = await call(server.url, 'POST', '/api/v1/users', { email: 'leaver@example.com' }, admin);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const userId = (created.body as { id: string }).id;
      const rule = await call(
        server.url,
        'POST',
        '/api/v1/authorization/access-rules',
        {
          subjectType: 'user',
          subjectId: 'leaver@example.com',
          roleId: 8,
          scopeType: 'tenant',
          scopeId: '1',
        },
        admin,
      );
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      // An access key of the user's, straight into the store: only the user can create one over the API.
      const now = Date.now();
      await store.db
        .insertInto('access_keys')
        .values({
          id: 'key-of-leaver',
          tenant_id: 1,
          user_id: userId,
          name: 'laptop',
          client_id: 'ak-leaver-laptop',
          tokens_valid_after: 0,
          last_login: null,
          created_at: now,
        })
        .execute();
      const cursor = await lastCursor();

      assert.equal(
        (await call(server.url, 'DELETE', `/api/v1/users/${userId}`, undefined, admin)).status,
        204,
      );

      const { changes, resync } = await readChanges(store.db, 1, cursor);
      assert.notEqual(resync, true);
      assert.ok(!changes.some((c) => c.kind === 'resync'), 'no full resync for one user');
      assert.deepEqual(
        changes.filter((c) => c.kind === 'rule-deleted').map((c) => (c as { ruleId: number }).ruleId),
        [Number((rule.body as { id: number | string }).id)],
      );
      const deleted = changes
        .filter((c) => c.kind === 'subject' && (c as { deleted?: boolean }).deleted === true)
        .map((c) => `${(c as { type: string }).type}:${(c as { id: string }).id}`)
        .sort();
      assert.deepEqual(deleted, ['access-key:ak-leaver-laptop', `user:${userId}`].sort());
    });
  },
);
