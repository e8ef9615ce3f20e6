import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { callHost, createTenant } from '../helpers/tenant.js';

const ACME = 'acme.example';

/** Bodies that pass validation, so that a route answers 404 rather than 400. */
const BODIES: Record<string, unknown> = {
  'put /api/v1/clusters/{clusterUuid}': { name: 'taken-over' },
  'put /api/v1/org-unit/departments/{departmentId}': { description: 'x' },
  'put /api/v1/org-unit/departments/{departmentId}/resources': [],
  'patch /api/v1/org-unit/departments/{departmentId}/resources': [],
  'put /api/v1/org-unit/projects/{projectId}': { resources: [] },
  'put /api/v1/org-unit/projects/{projectId}/resources': [],
  'patch /api/v1/org-unit/projects/{projectId}/resources': [],
  'patch /api/v1/service-accounts/{serviceAccountId}': { enabled: false },
  'patch /api/v1/apps/{appId}': { enabled: false },
  'put /api/v1/idps/{idp}': {
    type: 'oidc',
    oidcData: { clientId: 'x', clientSecret: 'taken-over', discoverDocumentUrl: 'https://idp.acme.example' },
  },
  'put /api/v1/idps/{idp}/mappers': { email: 'upn' },
};

// Tenant "acme" (selected by Host: acme.example) against the default tenant's objects: every route
// that addresses an object by id answers 404, lists never show the other tenant's objects, and a
// token only works on its own tenant's host.
forEachStore('cross-tenant isolation', (kind) => {
  let server: ServerProcess;
  let admin: string;
  let acme: string;
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
    await createTenant(server.db, ACME, 'root@acme.example', 'acme-password-1');
    const login = await callHost(server.url, ACME, 'POST', '/api/v1/token', {
      grantType: 'password',
      username: 'root@acme.example',
      password: 'acme-password-1',
    });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    acme = login.body.accessToken;
    // The default tenant's objects, one of each kind.
    const c = await call(server.url, 'POST', '/api/v1/clusters', { name: 'home' }, admin);
    ids.clusterUuid = c.body.uuid;
    ids.departmentId = (
      await call(
        server.url,
        'POST',
        '/api/v1/org-unit/departments',
        { name: 'home-dept', clusterId: ids.clusterUuid },
        admin,
      )
    ).body.id;
    ids.projectId = (
      await call(
        server.url,
        'POST',
        '/api/v1/org-unit/projects',
        { name: 'home-proj', clusterId: ids.clusterUuid, parentId: ids.departmentId, resources: [] },
        admin,
      )
    ).body.id;
    ids.userId = (
      await call(server.url, 'POST', '/api/v1/users', { email: 'home@example.com' }, admin)
    ).body.id;
    ids.serviceAccountId = (
      await call(server.url, 'POST', '/api/v1/service-accounts', { name: 'home-sa' }, admin)
    ).body.id;
    ids.accessKeyId = (
      await call(server.url, 'POST', '/api/v1/access-keys', { name: 'home-key' }, admin)
    ).body.id;
    ids.appId = (await call(server.url, 'POST', '/api/v1/apps', { name: 'home-app' }, admin)).body.id;
    ids.accessRuleId = String(
      (
        await call(
          server.url,
          'POST',
          '/api/v1/authorization/access-rules',
          {
            subjectType: 'app',
            subjectId: ids.appId,
            roleId: 8,
            scopeType: 'project',
            scopeId: ids.projectId,
          },
          admin,
        )
      ).body.id,
    );
    ids.idp = (
      await call(
        server.url,
        'POST',
        '/api/v1/idps',
        {
          type: 'oidc',
          name: 'home-idp',
          oidcData: {
            clientId: 'home',
            clientSecret: 'home-secret',
            discoverDocumentUrl: 'https://idp.home.example',
          },
        },
        admin,
      )
    ).body.alias;
    for (const [k, v] of Object.entries(ids)) assert.ok(v, `setup: ${k}`);
  });
  after(async () => server?.dispose());

  it("every route addressing one of another tenant's objects answers 404 and changes nothing", async () => {
    const doc = await call<{ paths: Record<string, Record<string, unknown>> }>(
      server.url,
      'GET',
      '/api/docs/json',
    );
    let checked = 0;
    for (const [template, ops] of Object.entries(doc.body.paths)) {
      const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      if (params.length === 0 || params.some((p) => !(p in ids))) continue;
      const path = template.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(ids[p] as string));
      for (const method of Object.keys(ops)) {
        const res = await callHost(
          server.url,
          ACME,
          method.toUpperCase(),
          path,
          BODIES[`${method} ${template}`],
          acme,
        );
        assert.equal(res.status, 404, `${method.toUpperCase()} ${template}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.code, 404);
        checked++;
      }
    }
    assert.ok(checked >= 30, `only ${checked} routes checked`);
    // Nothing of the default tenant changed.
    const cluster = await call(server.url, 'GET', `/api/v1/clusters/${ids.clusterUuid}`, undefined, admin);
    assert.equal(cluster.body.name, 'home');
    for (const path of [
      `/api/v1/org-unit/projects/${ids.projectId}`,
      `/api/v1/users/${ids.userId}`,
      `/api/v1/apps/${ids.appId}`,
      `/api/v1/service-accounts/${ids.serviceAccountId}`,
      `/api/v1/access-keys/${ids.accessKeyId}`,
    ]) {
      assert.equal((await call(server.url, 'GET', path, undefined, admin)).status, 200, path);
    }
    assert.equal(
      (await call(server.url, 'GET', `/api/v1/apps/${ids.appId}`, undefined, admin)).body.enabled,
      true,
    );
    const idp = await call(server.url, 'GET', `/api/v1/idps/${ids.idp}`, undefined, admin);
    assert.equal(idp.body.oidcData.clientId, 'home');
    assert.deepEqual(idp.body.mappers, { alias: 'home-idp' });
  });

  it("lists, counts and the audit log never show another tenant's objects", async () => {
    const lists: [string, (b: any) => unknown[]][] = [
      ['/api/v1/clusters', (b) => b],
      ['/api/v1/org-unit/departments', (b) => b.departments],
      ['/api/v1/org-unit/projects', (b) => b.projects],
      ['/api/v1/users', (b) => b.users ?? b],
      ['/api/v1/service-accounts', (b) => b],
      ['/api/v1/access-keys', (b) => b.accessKeys],
      ['/api/v1/apps', (b) => b],
      ['/api/v1/idps', (b) => b],
      ['/api/v1/authorization/access-rules', (b) => b.accessRules],
      [
        '/api/v1/audit/log?start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&numberOfSamples=1000',
        (b) => b.audit_logs,
      ],
    ];
    const home = Object.values(ids);
    for (const [path, items] of lists) {
      const res = await callHost(server.url, ACME, 'GET', path, undefined, acme);
      assert.equal(res.status, 200, path);
      const text = JSON.stringify(items(res.body));
      for (const id of home) assert.ok(!text.includes(`"${id}"`), `${path} shows ${id}`);
      assert.ok(!text.includes('home'), `${path} shows a home object: ${text.slice(0, 300)}`);
    }
    for (const path of [
      '/api/v1/org-unit/projects/count',
      '/api/v1/org-unit/departments/count',
      '/api/v1/users/count',
    ]) {
      const res = await callHost(server.url, ACME, 'GET', path, undefined, acme);
      assert.equal(res.body.count, path.includes('users') ? 1 : 0, path);
    }
  });

  it("writes naming another tenant's scope or cluster are refused and write nothing", async () => {
    const rule = await callHost(
      server.url,
      ACME,
      'POST',
      '/api/v1/authorization/access-rules',
      {
        subjectType: 'user',
        subjectId: 'root@acme.example',
        roleId: 1,
        scopeType: 'project',
        scopeId: ids.projectId,
      },
      acme,
    );
    assert.equal(rule.status, 404);
    const dept = await callHost(
      server.url,
      ACME,
      'POST',
      '/api/v1/org-unit/departments',
      { name: 'intruder', clusterId: ids.clusterUuid },
      acme,
    );
    assert.equal(dept.status, 400);
    assert.match(dept.body.message, /^clusterId: /);
    const all = await call(server.url, 'GET', '/api/v1/org-unit/departments', undefined, admin);
    assert.deepEqual(
      all.body.departments.map((d: { name: string }) => d.name),
      ['home-dept'],
    );
  });

  it("a token only works on its own tenant's host", async () => {
    assert.equal((await callHost(server.url, ACME, 'GET', '/api/v1/users', undefined, admin)).status, 401);
    assert.equal((await call(server.url, 'GET', '/api/v1/users', undefined, acme)).status, 401);
    // The default tenant's admin cannot log in through acme's host, nor acme's through the default host.
    const wrongHost = await callHost(server.url, ACME, 'POST', '/api/v1/token', {
      grantType: 'password',
      username: 'admin@example.com',
      password: 'correct-horse-battery',
    });
    assert.equal(wrongHost.status, 401);
    const wrongHost2 = await call(server.url, 'POST', '/api/v1/token', {
      grantType: 'password',
      username: 'root@acme.example',
      password: 'acme-password-1',
    });
    assert.equal(wrongHost2.status, 401);
  });
});
