import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { forEachStore } from '../helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';
import { specValidator } from '../helpers/spec.js';

// Every operation the server implements from the Run:ai spec is exercised over a real socket, on
// success and on error, and each response body is validated against the spec's own schema.
forEachStore('spec conformance', (kind) => {
  let server: ServerProcess;
  let admin: string;
  const spec = specValidator();

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
  });
  after(async () => server?.dispose());

  /** Calls `path`, expects `status`, validates the body against `specPath`'s response schema. */
  async function hit(
    method: string,
    specPath: string,
    path: string,
    status: number,
    body?: unknown,
    token: string | null = admin,
  ) {
    const res = await call(server.url, method, path, body, token ?? undefined);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    spec.check(method.toLowerCase(), specPath, res.status, res.body);
    return res.body;
  }

  it('every implemented operation answers as the spec says', async () => {
    // Tokens
    await hit('POST', '/api/v1/token', '/api/v1/token', 400, { grantType: 'nope' }, null);
    await hit(
      'POST',
      '/api/v1/token',
      '/api/v1/token',
      200,
      { grantType: 'password', username: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      null,
    );
    const form = async (
      status: number,
      fields: Record<string, string>,
      headers: Record<string, string> = {},
    ) => {
      const res = await call(
        server.url,
        'POST',
        '/api/v2/token',
        new URLSearchParams(fields).toString(),
        undefined,
        {
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
      );
      assert.equal(res.status, status, `POST /api/v2/token: ${JSON.stringify(res.body)}`);
      spec.check('post', '/api/v2/token', res.status, res.body);
    };
    await form(200, {
      grant_type: 'password',
      client_id: 'runai',
      username: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    await form(400, { grant_type: 'magic', client_id: 'runai' });
    await form(401, { grant_type: 'client_credentials' }, { authorization: `Basic ${btoa('nobody:wrong')}` });

    // Clusters
    const cluster = await hit('POST', '/api/v1/clusters', '/api/v1/clusters', 201, {
      name: 'gpu-east',
      domain: 'http://127.0.0.1:9999',
    });
    const C = `/api/v1/clusters/${cluster.uuid}`;
    await hit('GET', '/api/v1/clusters', '/api/v1/clusters', 200);
    await hit('GET', '/api/v1/clusters', '/api/v1/clusters', 401, undefined, null);
    await hit('GET', '/api/v1/clusters/{clusterUuid}', C, 200);
    await hit(
      'GET',
      '/api/v1/clusters/{clusterUuid}',
      '/api/v1/clusters/7f1c9b0e-0000-4000-8000-000000000000',
      404,
    );
    await hit('PUT', '/api/v1/clusters/{clusterUuid}', C, 204, { name: 'gpu-east-1' });
    await hit('PUT', '/api/v1/clusters/{clusterUuid}', C, 400, { name: '' });
    const install = await hit(
      'GET',
      '/api/v1/clusters/{clusterUuid}/cluster-install-info',
      `${C}/cluster-install-info`,
      200,
    );
    assert.match(
      install.installationStr,
      new RegExp(
        `^PORT=9999 TESSERA_CONTROL_PLANE_URL=${server.url} TESSERA_CLUSTER_UUID=${cluster.uuid} TESSERA_CLUSTER_SECRET=\\S+ npm run cluster$`,
      ),
    );

    // Departments
    const D = '/api/v1/org-unit/departments';
    const dept = await hit('POST', D, D, 201, {
      name: 'research',
      clusterId: cluster.uuid,
      resources: [{ nodePool: { id: 'default' }, gpu: { deserved: 8 } }],
    });
    await hit('POST', D, D, 409, { name: 'research', clusterId: cluster.uuid });
    await hit('POST', D, D, 400, { name: 'Bad Name', clusterId: cluster.uuid });
    await hit('GET', D, `${D}?filterBy=name=^res&sortBy=name&sortOrder=desc&limit=10`, 200);
    await hit('GET', D, `${D}?filterBy=nope==1`, 400);
    await hit('GET', `${D}/count`, `${D}/count`, 200);
    await hit('GET', `${D}/{departmentId}`, `${D}/${dept.id}`, 200);
    await hit('GET', `${D}/{departmentId}`, `${D}/999999`, 404);
    await hit('PUT', `${D}/{departmentId}`, `${D}/${dept.id}`, 200, { description: 'ML research' });
    await hit('PUT', `${D}/{departmentId}/resources`, `${D}/${dept.id}/resources`, 200, [
      { nodePool: { id: 'default' }, gpu: { deserved: 16 } },
    ]);
    await hit('PATCH', `${D}/{departmentId}/resources`, `${D}/${dept.id}/resources`, 200, [
      { nodePool: { id: 'a100' }, gpu: { deserved: 4 } },
    ]);

    // Projects
    const P = '/api/v1/org-unit/projects';
    const project = await hit('POST', P, P, 201, {
      name: 'vision',
      clusterId: cluster.uuid,
      parentId: dept.id,
      resources: [{ gpu: { deserved: 2 } }],
    });
    await hit('POST', P, P, 409, {
      name: 'vision',
      clusterId: cluster.uuid,
      parentId: dept.id,
      resources: [],
    });
    await hit('POST', P, P, 400, {
      name: 'nlp',
      clusterId: '7f1c9b0e-0000-4000-8000-000000000000',
      parentId: dept.id,
      resources: [],
    });
    const list = await hit(
      'GET',
      P,
      `${P}?filterBy=name=@vis&filterBy=parentId==${dept.id}&limit=1&offset=0`,
      200,
    );
    assert.equal(list.projects.length, 1);
    await hit('GET', P, `${P}?limit=100000`, 400);
    await hit('GET', `${P}/count`, `${P}/count?filterBy=name!=other`, 200);
    await hit('GET', `${P}/{projectId}`, `${P}/${project.id}`, 200);
    await hit('GET', `${P}/{projectId}`, `${P}/424242`, 404);
    await hit('PUT', `${P}/{projectId}`, `${P}/${project.id}`, 200, {
      description: 'cv',
      resources: [{ gpu: { deserved: 3 } }],
    });
    await hit('PUT', `${P}/{projectId}/resources`, `${P}/${project.id}/resources`, 200, [
      { gpu: { deserved: 1 } },
    ]);
    await hit('PATCH', `${P}/{projectId}/resources`, `${P}/${project.id}/resources`, 200, [
      { nodePool: { id: 'a100' }, gpu: { deserved: 1 } },
    ]);
    await hit('DELETE', `${D}/{departmentId}`, `${D}/${dept.id}`, 400);

    // Users
    const U = '/api/v1/users';
    const user = await hit('POST', U, U, 201, { email: 'Ada@Example.com' });
    await hit('POST', U, U, 409, { email: 'ada@example.com' });
    await hit('POST', U, U, 400, { email: 'not-an-email' });
    await hit('GET', U, `${U}?filterBy=username=@ada&sortBy=username&limit=5`, 200);
    await hit('GET', `${U}/count`, `${U}/count`, 200);
    await hit('GET', `${U}/{userId}`, `${U}/${user.id}`, 200);
    await hit('GET', `${U}/{userId}`, `${U}/nobody`, 404);
    const reset = await hit('POST', `${U}/{userId}/password`, `${U}/${user.id}/password`, 200);
    await hit('POST', `${U}/{userId}/logout`, `${U}/${user.id}/logout`, 200);
    const ada = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'password',
      username: 'ada@example.com',
      password: reset.tempPassword,
    });
    assert.equal(ada.status, 200);
    // A temporary password opens only /api/v1/me/password.
    await hit('GET', `${U}/{userId}`, `${U}/${user.id}`, 403, undefined, ada.body.accessToken);
    await hit(
      'POST',
      '/api/v1/me/password',
      '/api/v1/me/password',
      400,
      { currentPassword: 'wrong', newPassword: 'long-enough-secret' },
      ada.body.accessToken,
    );
    await hit(
      'POST',
      '/api/v1/me/password',
      '/api/v1/me/password',
      200,
      { currentPassword: reset.tempPassword, newPassword: 'long-enough-secret' },
      ada.body.accessToken,
    );
    await hit(
      'GET',
      '/api/v1/authorization/permissions',
      '/api/v1/authorization/permissions',
      200,
      undefined,
      ada.body.accessToken,
    );

    // Service accounts
    const S = '/api/v1/service-accounts';
    const sa = await hit('POST', S, S, 201, { name: 'ci-runner' });
    await hit('POST', S, S, 409, { name: 'ci-runner' });
    await hit('GET', S, S, 200);
    await hit('GET', `${S}/{serviceAccountId}`, `${S}/${sa.id}`, 200);
    await hit('GET', `${S}/{serviceAccountId}`, `${S}/nobody`, 404);
    await hit('PATCH', `${S}/{serviceAccountId}`, `${S}/${sa.id}`, 200, { enabled: true });
    await hit('POST', `${S}/{serviceAccountId}/secret`, `${S}/${sa.id}/secret?overlapSeconds=60`, 200);

    // Access keys (the admin's own)
    const K = '/api/v1/access-keys';
    const key = await hit('POST', K, K, 201, { name: 'laptop' });
    await hit('POST', K, K, 409, { name: 'laptop' });
    await hit('GET', K, K, 200);
    await hit('GET', `${K}/{accessKeyId}`, `${K}/${key.id}`, 200);
    await hit('GET', `${K}/{accessKeyId}`, `${K}/nothing`, 404);
    await hit('POST', `${K}/{accessKeyId}/secret`, `${K}/${key.id}/secret`, 200);
    await hit('DELETE', `${K}/{accessKeyId}`, `${K}/${key.id}`, 204);

    // Applications, roles, access rules (foundation endpoints, same contract)
    const A = '/api/v1/apps';
    const app = await hit('POST', A, A, 201, { name: 'viewer-bot' });
    await hit('POST', A, A, 409, { name: 'viewer-bot' });
    await hit('GET', A, A, 200);
    await hit('GET', `${A}/{appId}`, `${A}/${app.id}`, 200);
    await hit('PATCH', `${A}/{appId}`, `${A}/${app.id}`, 200, { enabled: true });
    const { secret: appSecret } = await hit('POST', `${A}/{appId}/secret`, `${A}/${app.id}/secret`, 200);
    // The deprecated application token endpoint: the same grant as app_token, Run:ai's old shape.
    const L = '/v1/k8s/auth/oauth/apptoken';
    const legacy = await hit('POST', L, L, 200, { id: app.id, name: 'viewer-bot', secret: appSecret }, null);
    await hit('POST', L, L, 401, { id: app.id, name: 'viewer-bot', secret: 'wrong' }, null);
    await hit('POST', L, L, 400, { id: app.id, name: 'viewer-bot' }, null);
    assert.equal((await call(server.url, 'GET', A, undefined, legacy.access_token)).status, 403);
    const idClaims = JSON.parse(Buffer.from(legacy.id_token.split('.')[1], 'base64url').toString());
    assert.equal(idClaims.sub, app.id);
    assert.equal(idClaims.aud, app.clientId);
    assert.equal(idClaims.preferred_username, 'viewer-bot');
    assert.equal(idClaims.email, undefined);
    await hit('GET', '/api/v1/authorization/roles', '/api/v1/authorization/roles', 200);
    await hit('GET', '/api/v1/authorization/roles/{roleIdPath}', '/api/v1/authorization/roles/8', 200);
    await hit('GET', '/api/v1/authorization/roles/{roleIdPath}', '/api/v1/authorization/roles/99', 404);
    const R = '/api/v1/authorization/access-rules';
    const rule = await hit('POST', R, R, 201, {
      subjectType: 'app',
      subjectId: app.id,
      roleId: 8,
      scopeType: 'project',
      scopeId: project.id,
    });
    await hit('POST', R, R, 201, {
      subjectType: 'service-account',
      subjectId: sa.id,
      roleId: 8,
      scopeType: 'department',
      scopeId: dept.id,
    });
    await hit('GET', R, `${R}?subjectType=app`, 200);
    await hit('GET', `${R}/count`, `${R}/count`, 200);
    const filtered = await hit(
      'GET',
      R,
      `${R}?filterBy=roleId==8,scopeType==project&sortBy=createdAt&sortOrder=desc`,
      200,
    );
    assert.deepEqual(
      filtered.accessRules.map((r: { id: number }) => r.id),
      [rule.id],
    );
    await hit('GET', R, `${R}?filterBy=roleId=@8`, 400);
    await hit('GET', `${R}/{accessRuleId}`, `${R}/${rule.id}`, 200);
    await hit('GET', `${R}/{accessRuleId}`, `${R}/99999`, 404);
    const viewer = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'app_token',
      AppId: 'viewer-bot',
      AppSecret: (await call(server.url, 'POST', `${A}/${app.id}/secret`, undefined, admin)).body.secret,
    });
    const v = viewer.body.accessToken as string;
    await hit('POST', D, D, 403, { name: 'sneaky', clusterId: cluster.uuid }, v);
    await hit(
      'POST',
      P,
      P,
      403,
      { name: 'sneaky', clusterId: cluster.uuid, parentId: dept.id, resources: [] },
      v,
    );
    await hit('DELETE', `${P}/{projectId}`, `${P}/${project.id}`, 403, undefined, v);
    await hit('POST', U, U, 403, { email: 'eve@example.com' }, v);
    await hit('GET', U, U, 403, undefined, v);
    await hit(
      'GET',
      '/api/v1/audit/log',
      '/api/v1/audit/log?start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z',
      403,
      undefined,
      v,
    );
    await hit(
      'GET',
      '/api/v1/authorization/me/access-rules',
      '/api/v1/authorization/me/access-rules',
      200,
      undefined,
      v,
    );
    await hit(
      'GET',
      '/api/v1/authorization/me/access-rules/count',
      '/api/v1/authorization/me/access-rules/count',
      200,
      undefined,
      v,
    );
    await hit(
      'POST',
      '/api/v1/authorization/permitted-scopes',
      '/api/v1/authorization/permitted-scopes',
      200,
      { resourceType: 'project' },
      v,
    );
    await hit('DELETE', `${R}/{accessRuleId}`, `${R}/${rule.id}`, 204);

    // Settings
    await hit('GET', '/v1/k8s/setting', '/v1/k8s/setting', 200);
    await hit('PUT', '/v1/k8s/setting', '/v1/k8s/setting', 200, {
      key: 'tokens.accessTokenLifetimeSeconds',
      value: 900,
    });
    await hit('PUT', '/v1/k8s/setting', '/v1/k8s/setting', 400, {
      key: 'tokens.accessTokenLifetimeSeconds',
      value: 'soon',
    });
    // An unknown key is a bad request naming `key`.
    await hit('PUT', '/v1/k8s/setting', '/v1/k8s/setting', 400, { key: 'no.such.key', value: 1 });
    await hit('GET', '/v1/k8s/setting/{settingKey}', '/v1/k8s/setting/department.use', 200);
    const S2 = '/api/v1/security/settings';
    await hit('GET', S2, S2, 200);
    await hit('PUT', `${S2}/{key}`, `${S2}/browserSessionTimeout`, 200, { idleTimeout: 30 });
    await hit('PUT', `${S2}/{key}`, `${S2}/browserSessionTimeout`, 400, { idleTimeout: 0 });
    await hit('GET', `${S2}/{key}`, `${S2}/browserSessionTimeout`, 200);
    await hit('GET', `${S2}/{key}`, `${S2}/nope`, 404);

    // Identity providers (an OIDC provider needs no reachable upstream to be configured)
    const I = '/api/v1/idps';
    const idpBody = {
      type: 'oidc',
      name: 'corp',
      oidcData: {
        clientId: 'tessera',
        clientSecret: 'upstream-secret',
        discoverDocumentUrl: 'https://login.corp.example/.well-known/openid-configuration',
        scopes: ['openid', 'email'],
        mandatoryClaim: { claim: 'groups', values: ['ml-team'] },
      },
      mappers: { email: 'email', groups: 'groups' },
    };
    await hit('POST', I, I, 201, idpBody);
    await hit('POST', I, I, 409, idpBody);
    await hit('POST', I, I, 400, { ...idpBody, type: 'saml' });
    await hit('GET', I, I, 200);
    await hit('GET', I, I, 401, undefined, null);
    await hit('GET', `${I}/{idp}`, `${I}/corp`, 200);
    await hit('GET', `${I}/{idp}`, `${I}/nope`, 404);
    await hit('PUT', `${I}/{idp}`, `${I}/corp`, 200, { ...idpBody, name: undefined });
    await hit('PUT', `${I}/{idp}`, `${I}/corp`, 400, { type: 'oidc' });
    await hit('GET', `${I}/{idp}/mappers`, `${I}/corp/mappers`, 200);
    await hit('PUT', `${I}/{idp}/mappers`, `${I}/corp/mappers`, 202, { email: 'upn' });
    await hit('PUT', `${I}/{idp}/mappers`, `${I}/corp/mappers`, 400, { nope: 'x' });
    await hit('DELETE', `${I}/{idp}`, `${I}/corp`, 200);
    await hit('DELETE', `${I}/{idp}`, `${I}/corp`, 404);

    // Audit log
    const log = await hit(
      'GET',
      '/api/v1/audit/log',
      '/api/v1/audit/log?start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&numberOfSamples=5&filterBy=entity_type==project',
      200,
    );
    assert.ok(log.total >= 2);
    await hit('GET', '/api/v1/audit/log', '/api/v1/audit/log?start=yesterday&end=2100-01-01T00:00:00Z', 400);
    // Token grants, granted or refused, are sign-ins in the spec's words; the exact action stays in metadata.
    const grants = await hit(
      'GET',
      '/api/v1/audit/log',
      '/api/v1/audit/log?start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&numberOfSamples=500&filterBy=entity_type==token',
      200,
    );
    assert.ok(grants.audit_logs.length > 0);
    for (const e of grants.audit_logs) {
      assert.equal(e.action, 'sign-in', JSON.stringify(e));
      assert.equal(e.metadata.action, 'token.grant');
    }

    // Deletions last
    await hit('DELETE', `${P}/{projectId}`, `${P}/${project.id}`, 204);
    await hit('DELETE', `${D}/{departmentId}`, `${D}/${dept.id}`, 204);
    await hit('DELETE', `${S}/{serviceAccountId}`, `${S}/${sa.id}`, 204);
    await hit('DELETE', `${A}/{appId}`, `${A}/${app.id}`, 204);
    await hit('DELETE', `${U}/{userId}`, `${U}/${user.id}`, 204);
    await hit('DELETE', '/api/v1/clusters/{clusterUuid}', C, 204);
  });

  it('covers every spec operation the server publishes in its own OpenAPI document', async () => {
    const res = await call<{ paths: Record<string, Record<string, unknown>> }>(
      server.url,
      'GET',
      '/api/docs/json',
    );
    assert.equal(res.status, 200);
    const implemented: string[] = [];
    for (const [path, ops] of Object.entries(res.body.paths))
      for (const method of Object.keys(ops))
        if (spec.has(method, path)) implemented.push(`${method} ${path}`);
    const missing = implemented.filter((op) => !spec.covered.has(op));
    assert.deepEqual(missing, [], 'operations implemented but not exercised');
    const responses = [...spec.covered.values()].reduce((n, s) => n + s.size, 0);
    console.log(
      `spec conformance [${kind}]: ${spec.covered.size} operations covered, ${responses} (operation, status) responses validated; ${implemented.length} spec operations implemented; error statuses the spec does not list for their operation: ${[...spec.undocumented].join(', ') || 'none'}`,
    );
    assert.ok(spec.covered.size >= 60, `only ${spec.covered.size} operations covered`);
  });
});
