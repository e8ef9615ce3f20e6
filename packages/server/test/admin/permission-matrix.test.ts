import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  isAllowed,
  missingForGrant,
  PREDEFINED_ROLES,
  RESOURCE_TYPES,
  roleById,
  type Action,
  type ScopeRef,
} from '@tessera/guard';
import { adminToken, call } from '../helpers/api.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { ALL_TYPES, DESIGN_ROLES, designGrants } from './design-roles.js';

const ACTIONS: Action[] = ['create', 'read', 'update', 'delete'];
const T: ScopeRef = { type: 'tenant', id: '1' };
const C: ScopeRef = { type: 'cluster', id: 'c' };
const D1: ScopeRef = { type: 'department', id: '1' };
const D2: ScopeRef = { type: 'department', id: '2' };
const P1: ScopeRef = { type: 'project', id: '1' };
const P2: ScopeRef = { type: 'project', id: '2' };
/** Targets: the tenant itself, the cluster, and a department/project inside and outside the rule's scope. */
const TARGETS: Record<string, ScopeRef[]> = {
  tenant: [T],
  cluster: [C, T],
  'department (inside)': [D1, C, T],
  'department (outside)': [D2, C, T],
  'project (inside)': [P1, D1, C, T],
  'project (outside)': [P2, D2, C, T],
};
const RULE_SCOPES: ScopeRef[] = [T, D1, P1];

/** DESIGN §6: allowed iff the role has the permission and the rule's scope contains the target. */
const expected = (roleId: number, scope: ScopeRef, rt: string, action: Action, ancestry: ScopeRef[]) =>
  designGrants(roleId, rt, action) && ancestry.some((s) => s.type === scope.type && s.id === scope.id);

describe('permission matrix (guard, every role × resource type × action × scope)', () => {
  it('matches DESIGN §6 for every combination', () => {
    assert.deepEqual([...RESOURCE_TYPES].sort(), [...ALL_TYPES].sort(), 'resource types drifted from DESIGN');
    let checks = 0;
    const mismatches: string[] = [];
    for (const role of PREDEFINED_ROLES)
      for (const scope of RULE_SCOPES)
        for (const rt of RESOURCE_TYPES)
          for (const action of ACTIONS)
            for (const [target, ancestry] of Object.entries(TARGETS)) {
              const rules = [{ roleId: role.id, scopeType: scope.type, scopeId: scope.id }];
              const got = isAllowed(rules, { resourceType: rt, action, ancestry });
              if (got !== expected(role.id, scope, rt, action, ancestry))
                mismatches.push(`${role.name} @${scope.type}: ${action} ${rt} on ${target} → ${got}`);
              checks++;
            }
    assert.deepEqual(mismatches, []);
    console.log(`permission matrix: ${checks} role × scope × resource type × action × target checks`);
  });

  it('nobody can grant a role holding a permission they lack, at any scope', () => {
    let checks = 0;
    for (const grantor of PREDEFINED_ROLES)
      for (const scope of RULE_SCOPES)
        for (const grantee of PREDEFINED_ROLES)
          for (const ancestry of Object.values(TARGETS)) {
            const rules = [{ roleId: grantor.id, scopeType: scope.type, scopeId: scope.id }];
            const holdsAll = grantee.permissions.every((p) =>
              p.actions.every((a) => expected(grantor.id, scope, p.resourceType, a, ancestry)),
            );
            assert.equal(
              missingForGrant(rules, grantee, ancestry) === undefined,
              holdsAll,
              `${grantor.name} granting ${grantee.name}`,
            );
            checks++;
          }
    console.log(`grant escalation: ${checks} grantor × scope × granted role × target checks`);
  });
});

// The same matrix through the HTTP API: a service account per role × scope (tenant, department A,
// project A1) against department A / project A1 (inside) and department B / project B1 (outside).
forEachStore('permission matrix over HTTP', (kind) => {
  let server: ServerProcess;
  let admin: string;
  const ids = { cluster: '', dA: '', dB: '', pA: '', pB: '', grantee: '', ruleA: '', ruleB: '', user: '' };
  const principals: { roleId: number; scope: ScopeRef; token: string; label: string }[] = [];
  const as = (token: string, method: string, path: string, body?: unknown) =>
    call(server.url, method, path, body, token);

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
    const mk = (path: string, body: unknown) => call(server.url, 'POST', path, body, admin);
    ids.cluster = (await mk('/api/v1/clusters', { name: 'matrix' })).body.uuid;
    ids.dA = (await mk('/api/v1/org-unit/departments', { name: 'dept-a', clusterId: ids.cluster })).body.id;
    ids.dB = (await mk('/api/v1/org-unit/departments', { name: 'dept-b', clusterId: ids.cluster })).body.id;
    ids.pA = (
      await mk('/api/v1/org-unit/projects', {
        name: 'proj-a',
        clusterId: ids.cluster,
        parentId: ids.dA,
        resources: [],
      })
    ).body.id;
    ids.pB = (
      await mk('/api/v1/org-unit/projects', {
        name: 'proj-b',
        clusterId: ids.cluster,
        parentId: ids.dB,
        resources: [],
      })
    ).body.id;
    ids.user = (await mk('/api/v1/users', { email: 'someone@example.com' })).body.id;
    await mk('/api/v1/apps', { name: 'existing-app' });
    ids.grantee = (await mk('/api/v1/service-accounts', { name: 'grantee' })).body.id;
    ids.ruleA = String(
      (
        await mk('/api/v1/authorization/access-rules', {
          subjectType: 'service-account',
          subjectId: ids.grantee,
          roleId: 8,
          scopeType: 'project',
          scopeId: ids.pA,
        })
      ).body.id,
    );
    ids.ruleB = String(
      (
        await mk('/api/v1/authorization/access-rules', {
          subjectType: 'service-account',
          subjectId: ids.grantee,
          roleId: 8,
          scopeType: 'project',
          scopeId: ids.pB,
        })
      ).body.id,
    );
    for (const role of PREDEFINED_ROLES) {
      for (const scope of [
        { type: 'tenant', id: '1' },
        { type: 'department', id: ids.dA },
        { type: 'project', id: ids.pA },
      ] as ScopeRef[]) {
        const label = `r${role.id}-${scope.type}`;
        const sa = (await mk('/api/v1/service-accounts', { name: label })).body;
        const rule = await mk('/api/v1/authorization/access-rules', {
          subjectType: 'service-account',
          subjectId: sa.id,
          roleId: role.id,
          scopeType: scope.type,
          scopeId: scope.id,
        });
        assert.equal(rule.status, 201, JSON.stringify(rule.body));
        const token = (
          await call(server.url, 'POST', '/api/v1/token', {
            grantType: 'client_credentials',
            clientID: sa.clientId,
            clientSecret: sa.clientSecret,
          })
        ).body.accessToken;
        principals.push({ roleId: role.id, scope, token, label: `${role.name} @${scope.type}` });
      }
    }
  });
  after(async () => server?.dispose());

  const anc = () => ({
    tenant: [T],
    cluster: [{ type: 'cluster', id: ids.cluster }, T] as ScopeRef[],
    dA: [{ type: 'department', id: ids.dA }, { type: 'cluster', id: ids.cluster }, T] as ScopeRef[],
    dB: [{ type: 'department', id: ids.dB }, { type: 'cluster', id: ids.cluster }, T] as ScopeRef[],
    pA: [
      { type: 'project', id: ids.pA },
      { type: 'department', id: ids.dA },
      { type: 'cluster', id: ids.cluster },
      T,
    ] as ScopeRef[],
    pB: [
      { type: 'project', id: ids.pB },
      { type: 'department', id: ids.dB },
      { type: 'cluster', id: ids.cluster },
      T,
    ] as ScopeRef[],
  });

  it('every role × scope gets exactly the answers DESIGN §6 gives, on every resource the API exposes', async () => {
    const a = anc();
    const failures: string[] = [];
    let checks = 0;
    for (const p of principals) {
      const may = (rt: string, action: Action, ancestry: ScopeRef[]) =>
        expected(p.roleId, p.scope, rt, action, ancestry);
      // Granting needs access_rules:create there and every permission of the granted role (DESIGN §6).
      const canGrant = (roleId: number, ancestry: ScopeRef[]) =>
        may('access_rules', 'create', ancestry) &&
        Object.entries(DESIGN_ROLES[roleId] ?? {}).every(([rt, actions]) =>
          actions.every((act) => may(rt, act, ancestry)),
        );
      const expect = async (
        what: string,
        allowed: boolean,
        okStatus: number,
        method: string,
        path: string,
        body?: unknown,
      ) => {
        const res = await as(p.token, method, path, body);
        const want = allowed ? okStatus : 403;
        if (res.status !== want)
          failures.push(
            `${p.label}: ${what} → ${res.status}, expected ${want} (${JSON.stringify(res.body).slice(0, 120)})`,
          );
        checks++;
        return res;
      };
      const P = '/api/v1/org-unit/projects';
      const D = '/api/v1/org-unit/departments';
      // Org units: reads, creates (duplicate names answer 409 once authorized), updates, deletes.
      for (const [key, id] of [
        ['pA', ids.pA],
        ['pB', ids.pB],
      ] as const) {
        await expect(`read project ${key}`, may('project', 'read', a[key]), 200, 'GET', `${P}/${id}`);
        await expect(`update project ${key}`, may('project', 'update', a[key]), 200, 'PUT', `${P}/${id}`, {
          resources: [],
        });
      }
      for (const [key, id] of [
        ['dA', ids.dA],
        ['dB', ids.dB],
      ] as const) {
        await expect(`read department ${key}`, may('department', 'read', a[key]), 200, 'GET', `${D}/${id}`);
        await expect(
          `update department ${key}`,
          may('department', 'update', a[key]),
          200,
          'PUT',
          `${D}/${id}`,
          {},
        );
        await expect(
          `delete department ${key} (has projects)`,
          may('department', 'delete', a[key]),
          400,
          'DELETE',
          `${D}/${id}`,
        );
        await expect(`create project in ${key}`, may('project', 'create', a[key]), 409, 'POST', P, {
          name: 'proj-a',
          clusterId: ids.cluster,
          parentId: id,
          resources: [],
        });
        const temp = (
          await call(
            server.url,
            'POST',
            P,
            {
              name: `tmp-${p.roleId}-${p.scope.type}-${key}`.toLowerCase(),
              clusterId: ids.cluster,
              parentId: id,
              resources: [],
            },
            admin,
          )
        ).body.id;
        const del = await expect(
          `delete a project in ${key}`,
          may('project', 'delete', a[key]),
          204,
          'DELETE',
          `${P}/${temp}`,
        );
        if (del.status !== 204) await call(server.url, 'DELETE', `${P}/${temp}`, undefined, admin);
      }
      await expect(
        'create department in the cluster',
        may('department', 'create', a.cluster),
        409,
        'POST',
        D,
        { name: 'dept-a', clusterId: ids.cluster },
      );
      // Lists show exactly what may be read.
      const projects = (await as(p.token, 'GET', P)).body.projects?.map((x: { id: string }) => x.id) ?? [];
      const wantProjects = [
        ['pA', ids.pA],
        ['pB', ids.pB],
      ]
        .filter(([k]) => may('project', 'read', a[k as 'pA']))
        .map(([, id]) => id);
      if (JSON.stringify([...projects].sort()) !== JSON.stringify(wantProjects.sort()))
        failures.push(`${p.label}: project list ${projects} expected ${wantProjects}`);
      const depts = (await as(p.token, 'GET', D)).body.departments?.map((x: { id: string }) => x.id) ?? [];
      const wantDepts = [
        ['dA', ids.dA],
        ['dB', ids.dB],
      ]
        .filter(([k]) => may('department', 'read', a[k as 'dA']))
        .map(([, id]) => id);
      if (JSON.stringify([...depts].sort()) !== JSON.stringify(wantDepts.sort()))
        failures.push(`${p.label}: department list ${depts} expected ${wantDepts}`);
      checks += 2;
      // Cluster.
      const CL = `/api/v1/clusters/${ids.cluster}`;
      await expect('read cluster', may('cluster', 'read', a.cluster), 200, 'GET', CL);
      await expect('update cluster', may('cluster', 'update', a.cluster), 204, 'PUT', CL, { name: 'matrix' });
      await expect(
        'delete cluster (has departments)',
        may('cluster', 'delete', a.cluster),
        400,
        'DELETE',
        CL,
      );
      await expect('create cluster', may('cluster', 'create', a.tenant), 409, 'POST', '/api/v1/clusters', {
        name: 'matrix',
      });
      // Tenant-level resources.
      const ghost = '00000000-0000-4000-8000-000000000000';
      for (const [rt, base, dup] of [
        ['users', '/api/v1/users', { email: 'someone@example.com' }],
        ['apps', '/api/v1/apps', { name: 'existing-app' }],
        ['service-account', '/api/v1/service-accounts', { name: 'grantee' }],
      ] as const) {
        await expect(`read ${rt}`, may(rt, 'read', a.tenant), 200, 'GET', base);
        await expect(`create ${rt}`, may(rt, 'create', a.tenant), 409, 'POST', base, dup);
        await expect(`delete ${rt}`, may(rt, 'delete', a.tenant), 404, 'DELETE', `${base}/${ghost}`);
      }
      await expect(
        'logout a user (users:update)',
        may('users', 'update', a.tenant),
        200,
        'POST',
        `/api/v1/users/${ids.user}/logout`,
      );
      await expect('update apps', may('apps', 'update', a.tenant), 404, 'PATCH', `/api/v1/apps/${ghost}`, {
        enabled: true,
      });
      await expect(
        'update service-account',
        may('service-account', 'update', a.tenant),
        404,
        'PATCH',
        `/api/v1/service-accounts/${ghost}`,
        { enabled: true },
      );
      await expect('read settings', may('settings', 'read', a.tenant), 200, 'GET', '/v1/k8s/setting');
      await expect('update settings', may('settings', 'update', a.tenant), 200, 'PUT', '/v1/k8s/setting', {
        key: 'department.use',
        value: true,
      });
      await expect(
        'read security-settings',
        may('security-settings', 'read', a.tenant),
        200,
        'GET',
        '/api/v1/security/settings',
      );
      await expect(
        'update security-settings',
        may('security-settings', 'update', a.tenant),
        200,
        'PUT',
        '/api/v1/security/settings/browserSessionTimeout',
        { idleTimeout: 60 },
      );
      await expect(
        'read audit',
        may('audit', 'read', a.tenant),
        200,
        'GET',
        '/api/v1/audit/log?start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z',
      );
      await expect('read roles', may('roles', 'read', a.tenant), 200, 'GET', '/api/v1/authorization/roles');
      // Access rules: reads inside/outside; granting needs access_rules:create and every permission granted.
      await expect(
        'read access rule in pA',
        may('access_rules', 'read', a.pA),
        200,
        'GET',
        `/api/v1/authorization/access-rules/${ids.ruleA}`,
      );
      await expect(
        'read access rule in pB',
        may('access_rules', 'read', a.pB),
        200,
        'GET',
        `/api/v1/authorization/access-rules/${ids.ruleB}`,
      );
      for (const grantRole of [p.roleId, 1, 5]) {
        const role = roleById(grantRole)!;
        const allowed = canGrant(grantRole, a.pA);
        const res = await expect(
          `grant ${role.name} on pA`,
          allowed,
          201,
          'POST',
          '/api/v1/authorization/access-rules',
          {
            subjectType: 'service-account',
            subjectId: ids.grantee,
            roleId: grantRole,
            scopeType: 'project',
            scopeId: ids.pA,
          },
        );
        if (res.status === 201)
          await call(
            server.url,
            'DELETE',
            `/api/v1/authorization/access-rules/${res.body.id}`,
            undefined,
            admin,
          );
      }
      const outside = await expect(
        'grant on pB (outside)',
        canGrant(5, a.pB),
        201,
        'POST',
        '/api/v1/authorization/access-rules',
        {
          subjectType: 'service-account',
          subjectId: ids.grantee,
          roleId: 5,
          scopeType: 'project',
          scopeId: ids.pB,
        },
      );
      if (outside.status === 201)
        await call(
          server.url,
          'DELETE',
          `/api/v1/authorization/access-rules/${outside.body.id}`,
          undefined,
          admin,
        );
    }
    assert.deepEqual(failures, []);
    console.log(`permission matrix over HTTP [${kind}]: ${principals.length} principals, ${checks} checks`);
  });

  it('a department administrator sees nothing outside the department', async () => {
    const p = principals.find((x) => x.roleId === 2 && x.scope.type === 'department')!;
    assert.deepEqual(
      (await as(p.token, 'GET', '/api/v1/org-unit/projects')).body.projects.map((x: { id: string }) => x.id),
      [ids.pA],
    );
    assert.deepEqual(
      (await as(p.token, 'GET', '/api/v1/org-unit/departments')).body.departments.map(
        (x: { id: string }) => x.id,
      ),
      [ids.dA],
    );
    assert.equal((await as(p.token, 'GET', '/api/v1/org-unit/projects/count')).body.count, 1);
    assert.equal((await as(p.token, 'GET', `/api/v1/org-unit/projects/${ids.pB}`)).status, 403);
    assert.equal((await as(p.token, 'GET', `/api/v1/org-unit/departments/${ids.dB}`)).status, 403);
    const rules = (await as(p.token, 'GET', '/api/v1/authorization/access-rules')).body.accessRules as {
      scopeId: string;
      scopeType: string;
    }[];
    assert.ok(rules.length > 0);
    for (const r of rules)
      assert.ok(
        (r.scopeType === 'department' && r.scopeId === ids.dA) ||
          (r.scopeType === 'project' && r.scopeId === ids.pA),
        JSON.stringify(r),
      );
    // It cannot hand out System administrator, not even inside its own department.
    const grant = await as(p.token, 'POST', '/api/v1/authorization/access-rules', {
      subjectType: 'service-account',
      subjectId: ids.grantee,
      roleId: 1,
      scopeType: 'department',
      scopeId: ids.dA,
    });
    assert.equal(grant.status, 403);
    assert.match(grant.body.message, /cannot grant role "System administrator"/);
  });
});
