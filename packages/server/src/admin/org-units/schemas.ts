import { Type, type Static } from '@sinclair/typebox';
import { ListQuery } from '../list-query.js';

const Num = Type.Number({ minimum: -1, maximum: 1e12 });
const Quota = Type.Object({
  deserved: Type.Optional(Type.Union([Num, Type.Null()])),
  limit: Type.Optional(Type.Union([Num, Type.Null()])),
  overQuotaWeight: Type.Optional(Type.Union([Num, Type.Null()])),
});

/** One node pool's quota, as in the spec's `Resources` item. */
export const ResourceItem = Type.Object({
  nodePool: Type.Optional(
    Type.Object({
      id: Type.String({ maxLength: 128 }),
      name: Type.Optional(Type.String({ maxLength: 128 })),
    }),
  ),
  gpu: Type.Optional(Quota),
  cpu: Type.Optional(Quota),
  memory: Type.Optional(
    Type.Intersect([
      Quota,
      Type.Object({ units: Type.Union([Type.Literal('Mib'), Type.Literal('MB'), Type.Literal('GB')]) }),
    ]),
  ),
  priority: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
});
export type ResourceItem = Static<typeof ResourceItem>;
export const Resources = Type.Array(ResourceItem, { maxItems: 64 });

const Name = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 63 });
const Description = Type.Optional(Type.String({ maxLength: 1024 }));

export const DepartmentCreationRequest = Type.Object({
  name: Name,
  clusterId: Type.String({ format: 'uuid' }),
  description: Description,
  resources: Type.Optional(Resources),
});
export const DepartmentUpdateRequest = Type.Object({
  description: Description,
  resources: Type.Optional(Resources),
});
export const ProjectCreationRequest = Type.Object({
  name: Name,
  clusterId: Type.String({ format: 'uuid' }),
  parentId: Type.String({ pattern: '^[0-9]{1,15}$', description: 'The department id.' }),
  description: Description,
  requestedNamespace: Type.Optional(Type.String({ maxLength: 63 })),
  enforceRunaiScheduler: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  resources: Resources,
});
export const ProjectUpdateRequest = Type.Object({
  description: Description,
  enforceRunaiScheduler: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  resources: Resources,
});

const TotalResources = Type.Object({
  gpuQuota: Type.Union([Type.Number(), Type.Null()]),
  cpuQuota: Type.Union([Type.Number(), Type.Null()]),
  memoryQuota: Type.Union([Type.Number(), Type.Null()]),
});
const Common = {
  id: Type.String(),
  name: Type.String(),
  clusterId: Type.String(),
  description: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  createdBy: Type.String(),
  updatedBy: Type.String(),
  totalResources: TotalResources,
  resources: Type.Array(Type.Any()),
};
export const Department = Type.Object(Common);
export const Project = Type.Object(
  Object.assign({}, Common, {
    parentId: Type.String(),
    requestedNamespace: Type.Union([Type.String(), Type.Null()]),
    enforceRunaiScheduler: Type.Boolean(),
    status: Type.Object({ phase: Type.String(), namespace: Type.Union([Type.String(), Type.Null()]) }),
    effective: Type.Object({}),
  }),
);
export const DepartmentList = Type.Object({
  departments: Type.Array(Department),
  next: Type.Optional(Type.Integer()),
});
export const ProjectList = Type.Object({
  projects: Type.Array(Project),
  next: Type.Optional(Type.Integer()),
});
export const Count = Type.Object({ count: Type.Integer() });

export const DepartmentParams = Type.Object({ departmentId: Type.String({ maxLength: 32 }) });
export const ProjectParams = Type.Object({ projectId: Type.String({ maxLength: 32 }) });
export const OrgUnitListQuery = ListQuery;
export const CountQuery = Type.Pick(ListQuery, ['filterBy', 'search']);
