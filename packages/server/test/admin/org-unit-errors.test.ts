import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminToken, call } from '../helpers/api.js';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// Refused writes answer a clear 4xx with Run:ai's error body and leave the store exactly as it was.
forEachStore('org-unit errors', (kind) => {
  let server: ServerProcess;
  let admin: string;
  let clusterId: string;
  let departmentId: string;

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
    clusterId = (await call(server.url, 'POST', '/api/v1/clusters', { name: 'c1' }, admin)).body.uuid;
    departmentId = (
      await call(server.url, 'POST', '/api/v1/org-unit/departments', { name: 'dept', clusterId }, admin)
    ).body.id;
    const p = await call(
      server.url,
      'POST',
      '/api/v1/org-unit/projects',
      { name: 'proj', clusterId, parentId: departmentId, resources: [] },
      admin,
    );
    assert.equal(p.status, 201, JSON.stringify(p.body));
  });
  after(async () => server?.dispose());

  /** Row counts of everything a refused write could have touched. */
  async function snapshot() {
    const store = openDirect(server.db);
    try {
      const count = async (table: 'departments' | 'projects' | 'audit_events' | 'access_rules') =>
        Number(
          (
            await store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const audit = Number(
        (
          await store.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '!=', 'token.grant')
            .executeTakeFirstOrThrow()
        ).n,
      );
      return {
        departments: await count('departments'),
        projects: await count('projects'),
        rules: await count('access_rules'),
        audit,
      };
    } finally {
      await store.close();
    }
  }

  async function refused(method: string, path: string, body: unknown, status: number, mentions: RegExp) {
    const before = await snapshot();
    const res = await call(server.url, method, path, body, admin);
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.code, status);
    assert.match(res.body.message, mentions);
    assert.deepEqual(await snapshot(), before, 'nothing may be written');
  }

  it('deleting a department that still has projects is a 400 naming them', async () => {
    await refused(
      'DELETE',
      `/api/v1/org-unit/departments/${departmentId}`,
      undefined,
      400,
      /still has projects.*proj/,
    );
    assert.equal(
      (await call(server.url, 'GET', `/api/v1/org-unit/departments/${departmentId}`, undefined, admin))
        .status,
      200,
    );
  });

  it('a duplicate department or project name is a 409 naming `name`', async () => {
    await refused('POST', '/api/v1/org-unit/departments', { name: 'dept', clusterId }, 409, /^name: /);
    await refused(
      'POST',
      '/api/v1/org-unit/projects',
      { name: 'proj', clusterId, parentId: departmentId, resources: [] },
      409,
      /^name: /,
    );
  });

  it('a project on an unknown cluster or department is a 400 naming the field', async () => {
    const ghost = '0b5e1c1e-7d2a-4a7e-9d51-3f0f0c0c0c0c';
    await refused(
      'POST',
      '/api/v1/org-unit/projects',
      { name: 'new', clusterId: ghost, parentId: departmentId, resources: [] },
      400,
      /^clusterId: /,
    );
    await refused(
      'POST',
      '/api/v1/org-unit/projects',
      { name: 'new', clusterId, parentId: '9999', resources: [] },
      400,
      /^parentId: /,
    );
    await refused(
      'POST',
      '/api/v1/org-unit/departments',
      { name: 'new', clusterId: ghost },
      400,
      /^clusterId: /,
    );
  });

  it('a malformed filterBy, an unknown sortBy and limit=100000 are 400s naming the parameter', async () => {
    for (const query of [
      'filterBy=name',
      'filterBy=name~~x',
      'filterBy=secret==1',
      'filterBy=createdAt>=yesterday',
      'filterBy=departmentId=@1',
    ]) {
      await refused('GET', `/api/v1/org-unit/projects?${query}`, undefined, 400, /^filterBy: /);
    }
    await refused('GET', '/api/v1/org-unit/projects?sortBy=password', undefined, 400, /^sortBy: /);
    await refused('GET', '/api/v1/org-unit/projects?limit=100000', undefined, 400, /limit/);
    await refused('GET', '/api/v1/org-unit/departments?limit=0', undefined, 400, /limit/);
    await refused('GET', '/api/v1/users?filterBy=username', undefined, 400, /^filterBy: /);
  });

  it('filterBy operators select what they say, with LIKE wildcards taken literally', async () => {
    for (const name of ['alpha-one', 'alpha-two', 'beta-one']) {
      await call(
        server.url,
        'POST',
        '/api/v1/org-unit/projects',
        { name, clusterId, parentId: departmentId, resources: [] },
        admin,
      );
    }
    const names = async (q: string) =>
      (await call(server.url, 'GET', `/api/v1/org-unit/projects?${q}`, undefined, admin)).body.projects.map(
        (p: { name: string }) => p.name,
      );
    assert.deepEqual(await names('filterBy=name=^alpha'), ['alpha-one', 'alpha-two']);
    assert.deepEqual(await names('filterBy=name=$one'), ['alpha-one', 'beta-one']);
    assert.deepEqual(await names('filterBy=name!@alpha&sortBy=name&sortOrder=desc'), ['proj', 'beta-one']);
    assert.deepEqual(await names('filterBy=name=@a%25'), []);
    assert.deepEqual(await names('filterBy=name==beta-one'), ['beta-one']);
    // Three characters or more go through the trigram index (keys first, then the rows); case is folded.
    assert.deepEqual(await names('filterBy=name=@HA-T'), ['alpha-two']);
    assert.deepEqual(await names('filterBy=name=@a-o&sortOrder=desc'), ['beta-one', 'alpha-one']);
    assert.deepEqual(await names('filterBy=name=$A-ONE'), ['alpha-one', 'beta-one']);
    assert.deepEqual(await names('filterBy=name=@zzz'), []);
    // A prefix is a range on the bytewise-ordered column: case folded, wildcards literal.
    assert.deepEqual(await names('filterBy=name=^ALPHA-'), ['alpha-one', 'alpha-two']);
    assert.deepEqual(await names('filterBy=name=^alpha_'), []);
    assert.deepEqual(await names('filterBy=name=^alph%25'), []);
    // `search` is a name substring, on projects and on departments alike (lists and counts).
    assert.deepEqual(await names('search=PHA-'), ['alpha-one', 'alpha-two']);
    const departments = async (q: string) =>
      (
        await call(server.url, 'GET', `/api/v1/org-unit/departments?${q}`, undefined, admin)
      ).body.departments.map((d: { name: string }) => d.name);
    const all = await departments('');
    assert.ok(all.length > 0);
    const [some] = all as [string];
    assert.deepEqual(await departments(`search=${encodeURIComponent(some.slice(1).toUpperCase())}`), [some]);
    assert.deepEqual(await departments('search=no-such-department'), []);
    assert.equal(
      (
        await call(
          server.url,
          'GET',
          '/api/v1/org-unit/departments/count?search=no-such-department',
          undefined,
          admin,
        )
      ).body.count,
      0,
    );
    const count = await call(
      server.url,
      'GET',
      '/api/v1/org-unit/projects/count?filterBy=name=^alpha',
      undefined,
      admin,
    );
    assert.equal(count.body.count, 2);
    const page = await call(
      server.url,
      'GET',
      '/api/v1/org-unit/projects?limit=2&offset=1',
      undefined,
      admin,
    );
    assert.deepEqual(
      page.body.projects.map((p: { name: string }) => p.name),
      ['alpha-two', 'beta-one'],
    );
    assert.equal(page.body.next, 3);
  });
});
