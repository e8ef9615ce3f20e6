import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isAllowed,
  missingForGrant,
  PREDEFINED_ROLES,
  roleById,
  roleByName,
  type ScopeRef,
} from '../../src/index.js';

const tenant: ScopeRef = { type: 'tenant', id: '1' };
const dept: ScopeRef = { type: 'department', id: '2' };
const project: ScopeRef = { type: 'project', id: '7' };
const otherProject: ScopeRef = { type: 'project', id: '8' };
const inProject = [project, dept, tenant];
const inOtherProject = [otherProject, { type: 'department', id: '3' } as ScopeRef, tenant];

describe('roles', () => {
  it('has stable ids and resolves legacy and seed names', () => {
    assert.deepEqual(
      PREDEFINED_ROLES.map((r) => r.id),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.equal(roleByName('admin')?.id, 1);
    assert.equal(roleByName('Administrator')?.id, 1);
    assert.equal(roleByName('Editor')?.id, 3);
    assert.equal(roleByName('researcher')?.id, 5);
    assert.equal(roleByName('VIEWER')?.id, 8);
    assert.equal(roleByName('superuser'), undefined);
  });
});

describe('isAllowed', () => {
  const researcherOnProject = [{ roleId: 5, scopeType: 'project' as const, scopeId: '7' }];

  it('applies a rule to its scope and everything below it, and nowhere else', () => {
    const q = (ancestry: ScopeRef[]) =>
      isAllowed(researcherOnProject, { resourceType: 'trainings', action: 'create', ancestry });
    assert.equal(q(inProject), true);
    assert.equal(q(inOtherProject), false);
    assert.equal(q([dept, tenant]), false);
    const editorOnDept = [{ roleId: 3, scopeType: 'department' as const, scopeId: '2' }];
    assert.equal(
      isAllowed(editorOnDept, { resourceType: 'project', action: 'update', ancestry: inProject }),
      true,
    );
    assert.equal(
      isAllowed(editorOnDept, { resourceType: 'project', action: 'update', ancestry: inOtherProject }),
      false,
    );
  });

  it('gives each role only its own actions', () => {
    assert.equal(
      isAllowed(researcherOnProject, { resourceType: 'apps', action: 'create', ancestry: inProject }),
      false,
    );
    assert.equal(
      isAllowed(researcherOnProject, { resourceType: 'project', action: 'delete', ancestry: inProject }),
      false,
    );
    const viewer = [{ roleId: 8, scopeType: 'tenant' as const, scopeId: '1' }];
    assert.equal(isAllowed(viewer, { resourceType: 'project', action: 'read', ancestry: inProject }), true);
    assert.equal(
      isAllowed(viewer, { resourceType: 'project', action: 'create', ancestry: inProject }),
      false,
    );
    assert.equal(
      isAllowed(viewer, { resourceType: 'access-keys', action: 'read', ancestry: [tenant] }),
      false,
    );
    assert.equal(isAllowed(viewer, { resourceType: 'audit', action: 'read', ancestry: [tenant] }), false);
  });
});

describe('missingForGrant', () => {
  it('lets an administrator grant anything and nobody grant more than they hold', () => {
    const admin = [{ roleId: 1, scopeType: 'tenant' as const, scopeId: '1' }];
    for (const role of PREDEFINED_ROLES) assert.equal(missingForGrant(admin, role, inProject), undefined);
    const deptAdmin = [{ roleId: 2, scopeType: 'department' as const, scopeId: '2' }];
    assert.equal(missingForGrant(deptAdmin, roleById(5)!, inProject), undefined);
    assert.deepEqual(missingForGrant(deptAdmin, roleById(5)!, inOtherProject), {
      resourceType: 'project',
      action: 'read',
    });
    assert.ok(missingForGrant(deptAdmin, roleById(1)!, [tenant]));
  });
});
