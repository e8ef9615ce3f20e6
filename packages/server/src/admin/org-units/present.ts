import type { Kysely, Selectable } from 'kysely';
import { invalidField, TesseraError } from '../../errors/registry.js';
import type { Database, DepartmentTable, ProjectTable } from '../../store/schema.js';
import { iso } from '../schemas.js';
import type { ResourceItem } from './schemas.js';

export type DepartmentRow = Selectable<DepartmentTable>;
export type ProjectRow = Selectable<ProjectTable>;

/** Resources as stored: every item has a `gpu` quota (the spec's response requires one). */
export function normalizeResources(items: readonly ResourceItem[]): ResourceItem[] {
  const seen = new Set<string>();
  return items.map((item, i) => {
    const pool = item.nodePool?.id ?? 'default';
    if (seen.has(pool))
      throw invalidField(`resources.${i}.nodePool.id`, `node pool "${pool}" is listed twice`);
    seen.add(pool);
    return Object.assign({}, item, { gpu: item.gpu ?? { deserved: 0 } });
  });
}

/** PATCH semantics for `/resources`: items replace the stored item of the same node pool. */
export function mergeResources(
  stored: readonly ResourceItem[],
  patch: readonly ResourceItem[],
): ResourceItem[] {
  const byPool = new Map(stored.map((r) => [r.nodePool?.id ?? 'default', r]));
  for (const item of normalizeResources(patch)) byPool.set(item.nodePool?.id ?? 'default', item);
  return [...byPool.values()];
}

const parse = (text: string): ResourceItem[] => JSON.parse(text) as ResourceItem[];

function totals(resources: readonly ResourceItem[]) {
  const sum = (pick: (r: ResourceItem) => number | null | undefined) => {
    const values = resources.map(pick).filter((v): v is number => typeof v === 'number');
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  };
  return {
    gpuQuota: sum((r) => r.gpu?.deserved),
    cpuQuota: sum((r) => r.cpu?.deserved),
    memoryQuota: sum((r) => r.memory?.deserved),
  };
}

const base = (row: DepartmentRow | ProjectRow) => {
  const resources = parse(row.resources);
  return {
    id: String(row.id),
    name: row.name,
    clusterId: row.cluster_id ?? '',
    description: row.description ?? '',
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by ?? row.created_by,
    totalResources: totals(resources),
    resources,
  };
};

/** The spec's `Department`. */
export const toDepartment = (row: DepartmentRow) => base(row);

/** The spec's `Project`; Tessera has no scheduler of its own, so a stored project is `Ready`. */
export const toProject = (row: ProjectRow) =>
  Object.assign(base(row), {
    parentId: row.department_id === null ? '' : String(row.department_id),
    requestedNamespace: row.requested_namespace,
    enforceRunaiScheduler: true,
    status: { phase: 'Ready', namespace: row.requested_namespace ?? `runai-${row.name}` },
    effective: {},
  });

/** A numeric org-unit id from a path, or NOT_FOUND. */
export function orgUnitId(kind: 'department' | 'project', raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new TesseraError('NOT_FOUND', `${kind} ${raw.slice(0, 32)} not found`);
  return Number(raw);
}

/** The tenant's cluster, or a 400 naming `clusterId` (creating into an unknown cluster). */
export async function requireCluster(
  db: Kysely<Database>,
  tenantId: number,
  clusterId: string,
): Promise<void> {
  const row = await db
    .selectFrom('clusters')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', clusterId)
    .executeTakeFirst();
  if (!row) throw invalidField('clusterId', `cluster ${clusterId} does not exist`);
}
