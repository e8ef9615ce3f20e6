import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { createApp } from '../helpers/replicas.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// A granted token's audit event and the application's last login commit together (one transaction
// per grant since the benchmark work, bench/README.md); a refusal is audited too.
forEachStore('v1 token grant bookkeeping', (kind) => {
  let server: ServerProcess;
  let app: { id: string; name: string; secret: string };

  before(async () => {
    server = await startServerProcess(kind);
    const created = await call(
      server.url,
      'POST',
      '/api/v1/apps',
      { name: 'audited' },
      await adminToken(server.url),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    app = created.body;
  });
  after(async () => server?.dispose());

  it('writes one success event naming the jti and sets last_login for every grant', async () => {
    const jtis: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(server.url, 'POST', '/api/v1/token', {
        grantType: 'app_token',
        AppId: app.name,
        AppSecret: app.secret,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      jtis.push(decodeJwt(res.body.accessToken).jti as string);
    }
    const refused = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'app_token',
      AppId: app.name,
      AppSecret: 'wrong',
    });
    assert.equal(refused.status, 401);

    const store = openDirect(server.db);
    try {
      const events = await store.db
        .selectFrom('audit_events')
        .select(['actor_id', 'resource_id', 'result', 'reason'])
        .where('action', '=', 'token.grant')
        .where('actor_id', '=', app.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((e) => [e.resource_id, e.result, e.reason]),
        [...jtis.map((jti) => [jti, 'success', null]), [null, 'failure', 'wrong_secret']],
      );
      const row = await store.db
        .selectFrom('applications')
        .select('last_login')
        .where('id', '=', app.id)
        .executeTakeFirstOrThrow();
      assert.ok(row.last_login && row.last_login > Date.now() - 60_000);
    } finally {
      await store.close();
    }
  });
});

// The audit event is written while the token is being signed (token/issue.ts): when it cannot be
// written, the signed token must still never reach the caller.
forEachStore('v1 token grant without its audit event', (kind) => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(kind, {}, { expectedServerErrors: 1 });
  });
  after(async () => server?.dispose());

  it('answers no token when the grant cannot be audited', async () => {
    const app = await createApp(server.url, await adminToken(server.url), 'unaudited');
    const store = openDirect(server.db);
    const refuse =
      kind === 'sqlite'
        ? [
            sql`create trigger refuse_grants before insert on audit_events when new.action = 'token.grant'
                begin select raise(abort, 'audit refused by the test'); end`,
          ]
        : [
            sql`create function refuse_grants() returns trigger language plpgsql as $$
                begin raise exception 'audit refused by the test'; end $$`,
            sql`create trigger refuse_grants before insert on audit_events for each row
                when (new.action = 'token.grant') execute function refuse_grants()`,
          ];
    const allow =
      kind === 'sqlite'
        ? [sql`drop trigger refuse_grants`]
        : [sql`drop trigger refuse_grants on audit_events`, sql`drop function refuse_grants()`];
    try {
      for (const statement of refuse) await statement.execute(store.db);
      const res = await call(server.url, 'POST', '/api/v1/token', {
        grantType: 'app_token',
        AppId: app.name,
        AppSecret: app.secret,
      });
      assert.ok(res.status >= 500, `status ${res.status}`);
      assert.equal(res.body?.accessToken, undefined, JSON.stringify(res.body));
      assert.doesNotMatch(JSON.stringify(res.body), /eyJ/);
    } finally {
      for (const statement of allow) await statement.execute(store.db);
      await store.close();
    }
    const again = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'app_token',
      AppId: app.name,
      AppSecret: app.secret,
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });
});
