import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const SECRET = 'upstream-client-secret-value';
const body = (over: Record<string, unknown> = {}) => ({
  type: 'oidc',
  name: 'corp',
  oidcData: {
    clientId: 'tessera',
    clientSecret: SECRET,
    discoverDocumentUrl: 'https://login.corp.example/realms/main',
    scopes: ['openid', 'email'],
    mandatoryClaim: { claim: 'groups', values: ['ml-team'] },
  },
  mappers: { email: 'email', groups: 'groups' },
  ...over,
});

// /api/v1/idps and /mappers over a real socket: shapes, validation, masking and sealing of the
// client secret, permissions and audit events.
forEachStore('identity providers API', (kind) => {
  let server: ServerProcess;
  let admin: string;

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  it('creates, reads, updates and deletes an OIDC provider; the secret is sealed and never answered', async () => {
    const created = await call(server.url, 'POST', '/api/v1/idps', body(), admin);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body, { alias: 'corp' });
    assert.equal((await call(server.url, 'POST', '/api/v1/idps', body(), admin)).status, 409);

    const list = await call(server.url, 'GET', '/api/v1/idps', undefined, admin);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, [
      {
        alias: 'corp',
        type: 'oidc',
        redirectUri: `${server.url}/auth/realms/runai/broker/corp/endpoint`,
        oidcData: {
          clientId: 'tessera',
          clientSecret: '*******',
          discoverDocumentUrl: 'https://login.corp.example/realms/main/.well-known/openid-configuration',
          scopes: ['openid', 'email'],
          mandatoryClaim: { claim: 'groups', values: ['ml-team'] },
        },
        mappers: { alias: 'corp', email: 'email', groups: 'groups' },
      },
    ]);
    assert.ok(!JSON.stringify(list.body).includes(SECRET));

    // Stored sealed (AES-GCM under the master key), not in clear.
    const store = openDirect(server.db);
    try {
      const row = await store.db.selectFrom('identity_providers').selectAll().executeTakeFirstOrThrow();
      assert.ok(!row.client_secret_enc.includes(SECRET) && !row.config.includes(SECRET));
      assert.ok(!Buffer.from(row.client_secret_enc, 'base64').toString('latin1').includes(SECRET));
    } finally {
      await store.close();
    }

    // PUT without a secret (or with the mask) keeps it; the body's name cannot rename.
    const update = { ...body(), name: 'other' } as Record<string, any>;
    update.oidcData = { ...update.oidcData, clientSecret: '*******', clientId: 'tessera-2' };
    delete update.oidcData.mandatoryClaim;
    assert.equal((await call(server.url, 'PUT', '/api/v1/idps/corp', update, admin)).status, 200);
    const one = await call(server.url, 'GET', '/api/v1/idps/corp', undefined, admin);
    assert.equal(one.body.oidcData.clientId, 'tessera-2');
    assert.equal(one.body.oidcData.mandatoryClaim, undefined);
    assert.equal((await call(server.url, 'GET', '/api/v1/idps/other', undefined, admin)).status, 404);

    assert.equal(
      (await call(server.url, 'PUT', '/api/v1/idps/corp/mappers', { email: 'upn', groups: 'roles' }, admin))
        .status,
      202,
    );
    const mappers = await call(server.url, 'GET', '/api/v1/idps/corp/mappers', undefined, admin);
    assert.deepEqual(mappers.body, { alias: 'corp', email: 'upn', groups: 'roles' });
    const bad = await call(server.url, 'PUT', '/api/v1/idps/corp/mappers', { colour: 'x' }, admin);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^body\.colour: /);

    assert.equal((await call(server.url, 'DELETE', '/api/v1/idps/corp', undefined, admin)).status, 200);
    assert.equal((await call(server.url, 'DELETE', '/api/v1/idps/corp', undefined, admin)).status, 404);
    assert.deepEqual((await call(server.url, 'GET', '/api/v1/idps', undefined, admin)).body, []);

    const audit = await call(
      server.url,
      'GET',
      '/api/v1/audit/log?start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&numberOfSamples=1000',
      undefined,
      admin,
    );
    const events = JSON.stringify(audit.body);
    for (const action of ['create', 'update', 'delete']) assert.match(events, new RegExp(`"${action}"`));
    assert.match(events, /"idps"/);
    assert.ok(!events.includes(SECRET), 'the secret never reaches the audit log');
    assert.ok(!server.output().includes(SECRET), 'the secret never reaches the log');
  });

  it('refuses bad input with a 400 naming the field; saml and openshift-v4 are not supported', async () => {
    const cases: [unknown, RegExp][] = [
      [
        { ...body(), type: 'saml', samlData: { metadataXmlUrl: 'https://x.example/m.xml' } },
        /^type: "saml" .*not supported/,
      ],
      [{ ...body(), type: 'openshift-v4' }, /^type: "openshift-v4" .*not supported/],
      [{ ...body(), type: 'ldap' }, /^type: /],
      [{ ...body(), name: 'Bad_Name' }, /^name: /],
      [{ type: 'oidc' }, /^oidcData: /],
      [
        body({ oidcData: { clientId: 'x', discoverDocumentUrl: 'https://a.example' } }),
        /^oidcData\.clientSecret: /,
      ],
      [
        body({ oidcData: { clientId: 'x', clientSecret: 's', discoverDocumentUrl: 'http://idp.example' } }),
        /^oidcData\.discoverDocumentUrl: .*https/,
      ],
      [
        body({ oidcData: { clientId: 'x', clientSecret: 's', discoverDocumentUrl: 'not a url' } }),
        /^oidcData\.discoverDocumentUrl: /,
      ],
      [
        body({ oidcData: { clientId: '', clientSecret: 's', discoverDocumentUrl: 'https://a.example' } }),
        /^oidcData\.clientId: /,
      ],
      [
        body({
          oidcData: {
            clientId: 'x',
            clientSecret: 's',
            discoverDocumentUrl: 'https://a.example',
            mandatoryClaim: { claim: 'g', values: [] },
          },
        }),
        /^oidcData\.mandatoryClaim\.values: /,
      ],
      [body({ mappers: { shoeSize: 'x' } }), /^mappers\.shoeSize: /],
      ['[]', /^body: /],
    ];
    for (const [payload, message] of cases) {
      const res = await call(server.url, 'POST', '/api/v1/idps', payload, admin, {
        'content-type': 'application/json',
      });
      assert.equal(res.status, 400, JSON.stringify(payload));
      assert.equal(res.body.code, 400);
      assert.match(res.body.message, message);
    }
    assert.equal((await call(server.url, 'PUT', '/api/v1/idps/nope', body(), admin)).status, 404);
  });

  it('only System administrators change providers; a viewer reads them; anonymous callers get 401', async () => {
    assert.equal(
      (await call(server.url, 'POST', '/api/v1/idps', body({ name: 'readable' }), admin)).status,
      201,
    );
    const user = await call(server.url, 'POST', '/api/v1/users', { email: 'viewer@example.com' }, admin);
    await call(
      server.url,
      'POST',
      '/api/v1/authorization/access-rules',
      { subjectType: 'user', subjectId: 'viewer@example.com', roleId: 8, scopeType: 'tenant', scopeId: '1' },
      admin,
    );
    const login = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'password',
      username: 'viewer@example.com',
      password: user.body.tempPassword,
    });
    await call(
      server.url,
      'POST',
      '/api/v1/me/password',
      { currentPassword: user.body.tempPassword, newPassword: 'viewer-password-1' },
      login.body.accessToken,
    );
    const viewer = (
      await call(server.url, 'POST', '/api/v1/token', {
        grantType: 'password',
        username: 'viewer@example.com',
        password: 'viewer-password-1',
      })
    ).body.accessToken;
    assert.equal((await call(server.url, 'GET', '/api/v1/idps', undefined, viewer)).status, 200);
    assert.equal(
      (await call(server.url, 'POST', '/api/v1/idps', body({ name: 'mine' }), viewer)).status,
      403,
    );
    assert.equal((await call(server.url, 'PUT', '/api/v1/idps/readable', body(), viewer)).status, 403);
    assert.equal((await call(server.url, 'PUT', '/api/v1/idps/readable/mappers', {}, viewer)).status, 403);
    assert.equal((await call(server.url, 'DELETE', '/api/v1/idps/readable', undefined, viewer)).status, 403);
    assert.equal((await call(server.url, 'GET', '/api/v1/idps')).status, 401);
  });
});
