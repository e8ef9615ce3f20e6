import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// POST /api/v1/token over a real socket: credentials, refusals (always the same 401, each audited),
// malformed requests (4xx with Run:ai's error body) and field-name casing.
forEachStore('POST /api/v1/token', (kind) => {
  let server: ServerProcess;
  let admin: string;

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  const token = (body: unknown, headers?: Record<string, string>) =>
    call(server.url, 'POST', '/api/v1/token', body, undefined, headers);

  async function createApp(name: string) {
    const res = await call(server.url, 'POST', '/api/v1/apps', { name, roles: ['viewer'] }, admin);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; name: string; clientId: string; secret: string };
  }

  async function failureReasons(): Promise<string[]> {
    const store = openDirect(server.db);
    try {
      const rows = await store.db
        .selectFrom('audit_events')
        .select(['reason'])
        .where('action', '=', 'token.grant')
        .where('result', '=', 'failure')
        .orderBy('id')
        .execute();
      return rows.map((r) => r.reason ?? '');
    } finally {
      await store.close();
    }
  }

  it('AppId, appID, appId and APPID all work, as do clientID/clientId for client_credentials', async () => {
    const app = await createApp('casing');
    for (const field of ['AppId', 'appID', 'appId', 'APPID']) {
      const res = await token({ grantType: 'app_token', [field]: app.name, AppSecret: app.secret });
      assert.equal(res.status, 200, `${field}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.accessToken, 'string');
      assert.equal(res.body.expiresIn, 3600);
      assert.equal(res.headers.get('cache-control'), 'no-store');
    }
    for (const [idField, secretField] of [
      ['clientID', 'clientSecret'],
      ['clientId', 'ClientSecret'],
    ]) {
      const res = await token({
        GrantType: 'client_credentials',
        [idField]: app.clientId,
        [secretField]: app.secret,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    // The seed's AppId is the application's name; its client id works too.
    const byClientId = await token({ grantType: 'app_token', AppId: app.clientId, AppSecret: app.secret });
    assert.equal(byClientId.status, 200);
  });

  it('refuses wrong secret, unknown, disabled, deleted and rotated-away credentials with one message, auditing each', async () => {
    const app = await createApp('refusals');
    const before = (await failureReasons()).length;
    const wrong = await token({ grantType: 'app_token', AppId: app.name, AppSecret: 'not-the-secret' });
    const unknown = await token({ grantType: 'app_token', AppId: 'no-such-app', AppSecret: app.secret });

    const disabledApp = await createApp('disabled-one');
    assert.equal(
      (await call(server.url, 'PATCH', `/api/v1/apps/${disabledApp.id}`, { enabled: false }, admin)).status,
      200,
    );
    const disabled = await token({
      grantType: 'app_token',
      AppId: disabledApp.name,
      AppSecret: disabledApp.secret,
    });

    const deletedApp = await createApp('deleted-one');
    assert.equal(
      (await call(server.url, 'DELETE', `/api/v1/apps/${deletedApp.id}`, undefined, admin)).status,
      204,
    );
    const deleted = await token({
      grantType: 'app_token',
      AppId: deletedApp.name,
      AppSecret: deletedApp.secret,
    });

    const rotated = await call(server.url, 'POST', `/api/v1/apps/${app.id}/secret`, undefined, admin);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, app.secret);
    const old = await token({ grantType: 'app_token', AppId: app.name, AppSecret: app.secret });
    const fresh = await token({ grantType: 'app_token', AppId: app.name, AppSecret: rotated.body.secret });
    assert.equal(fresh.status, 200);

    for (const res of [wrong, unknown, disabled, deleted, old]) {
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { code: 401, message: 'Invalid credentials' });
    }
    const reasons = (await failureReasons()).slice(before);
    assert.deepEqual(reasons, [
      'wrong_secret',
      'unknown_client',
      'disabled',
      'unknown_client',
      'wrong_secret',
    ]);
  });

  it('revokes issued tokens when the application is disabled, deleted or its secret regenerated', async () => {
    for (const action of ['disable', 'delete', 'regenerate'] as const) {
      const app = await createApp(`revoke-${action}`);
      const issued = (await token({ grantType: 'app_token', AppId: app.name, AppSecret: app.secret })).body
        .accessToken;
      assert.equal(
        (await call(server.url, 'GET', '/api/v1/authorization/roles', undefined, issued)).status,
        200,
      );
      if (action === 'disable')
        await call(server.url, 'PATCH', `/api/v1/apps/${app.id}`, { enabled: false }, admin);
      if (action === 'delete') await call(server.url, 'DELETE', `/api/v1/apps/${app.id}`, undefined, admin);
      if (action === 'regenerate')
        await call(server.url, 'POST', `/api/v1/apps/${app.id}/secret`, undefined, admin);
      const res = await call(server.url, 'GET', '/api/v1/authorization/roles', undefined, issued);
      assert.equal(res.status, 401, action);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
    }
    const store = openDirect(server.db);
    try {
      const refusals = await store.db
        .selectFrom('audit_events')
        .select(['reason', 'resource_name'])
        .where('action', '=', 'authenticate')
        .execute();
      assert.deepEqual(
        refusals.map((r) => r.reason),
        ['TOKEN_REVOKED', 'TOKEN_REVOKED', 'TOKEN_REVOKED'],
      );
      assert.equal(refusals[0]?.resource_name, 'GET /api/v1/authorization/roles');
    } finally {
      await store.close();
    }
  });

  it('answers malformed requests with 400/413 and a Run:ai error body naming the problem', async () => {
    const cases: Array<[string, Awaited<ReturnType<typeof token>>, number, RegExp]> = [
      [
        'malformed JSON',
        await token('{"grantType": "app_token",', { 'content-type': 'application/json' }),
        400,
        /JSON/,
      ],
      [
        'wrong content type',
        await token('grantType=app_token', { 'content-type': 'application/x-www-form-urlencoded' }),
        400,
        /Content-Type/,
      ],
      ['text body', await token('{"grantType":"app_token"}', { 'content-type': 'text/plain' }), 400, /body/],
      ['JSON array', await token([1, 2]), 400, /body: must be a JSON object/],
      ['missing grantType', await token({ AppId: 'x', AppSecret: 'y' }), 400, /grantType: is required/],
      [
        'missing AppSecret',
        await token({ grantType: 'app_token', AppId: 'x' }),
        400,
        /AppSecret: is required/,
      ],
      [
        'missing username',
        await token({ grantType: 'password', password: 'x' }),
        400,
        /username: is required/,
      ],
      [
        'non-string field',
        await token({ grantType: 'app_token', AppId: 5, AppSecret: 'y' }),
        400,
        /AppId: must be a string/,
      ],
      [
        'NUL character (PostgreSQL text cannot hold one)',
        await token({ grantType: 'app_token', AppId: 'ci\u0000x', AppSecret: 'y' }),
        400,
        /AppId: must not contain NUL characters/,
      ],
      [
        'unknown grant type',
        await token({ grantType: 'magic', AppId: 'x' }),
        400,
        /grantType: "magic" is not supported/,
      ],
      [
        '2 MiB body',
        await token({ grantType: 'app_token', AppId: 'x'.repeat(2 * 1024 * 1024) }),
        413,
        /too large/,
      ],
    ];
    for (const [name, res, status, message] of cases) {
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, status, name);
      assert.match(res.body.message, message, name);
    }
    const tooLarge = cases.find(([name]) => name === '2 MiB body')![1];
    assert.notEqual(
      tooLarge.headers.get('connection'),
      'close',
      'the rest was read (packages/http): no reset',
    );
  });

  it('signs in users with the password grant, refusing a wrong password with the same 401', async () => {
    const ok = await token({
      grantType: 'password',
      username: 'ADMIN@example.com',
      password: 'correct-horse-battery',
    });
    assert.equal(ok.status, 200);
    const bad = await token({ grantType: 'password', username: 'admin@example.com', password: 'nope-nope' });
    const nobody = await token({
      grantType: 'password',
      username: 'nobody@example.com',
      password: 'nope-nope',
    });
    for (const res of [bad, nobody])
      assert.deepEqual([res.status, res.body], [401, { code: 401, message: 'Invalid credentials' }]);
  });
});
