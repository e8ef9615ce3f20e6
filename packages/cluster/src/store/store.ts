import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/** Workload kinds this cluster runs, by their path segment. */
export type WorkloadKind = 'trainings' | 'workspaces' | 'inferences';

/** A workload as the cluster stores it. Instants are epoch ms. */
export interface WorkloadRecord {
  id: string;
  kind: WorkloadKind;
  name: string;
  projectId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  phase: string;
  phaseUpdatedAt: number;
  desiredPhase: 'Running' | 'Stopped' | 'Deleted';
  deletedAt: number | null;
  completedAt: number | null;
  /** The creation request's spec fields, as JSON. */
  spec: string;
}

/** The cluster's own store: one SQLite file (WAL) in its data dir. */
export interface WorkloadStore {
  insert(w: WorkloadRecord): void;
  get(id: string): WorkloadRecord | undefined;
  findByName(projectId: string, name: string): WorkloadRecord | undefined;
  list(): WorkloadRecord[];
  update(id: string, patch: Partial<Omit<WorkloadRecord, 'id'>>): void;
  close(): void;
}

const COLUMNS = {
  id: 'id',
  kind: 'kind',
  name: 'name',
  projectId: 'project_id',
  createdBy: 'created_by',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  phase: 'phase',
  phaseUpdatedAt: 'phase_updated_at',
  desiredPhase: 'desired_phase',
  deletedAt: 'deleted_at',
  completedAt: 'completed_at',
  spec: 'spec',
} as const;

const SELECT = `select ${Object.entries(COLUMNS)
  .map(([k, c]) => `${c} as "${k}"`)
  .join(', ')} from workloads`;

/**
 * Opens (and creates) `workloads.db` in the data dir.
 *
 * @example
 * ```ts
 * const store = openWorkloadStore('/var/lib/tessera-cluster')
 * store.list()
 * ```
 */
export function openWorkloadStore(dataDir: string): WorkloadStore {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new SQLite(join(dataDir, 'workloads.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table if not exists workloads (
    id text primary key, kind text not null, name text not null, project_id text not null,
    created_by text not null, created_at integer not null, updated_at integer not null,
    phase text not null, phase_updated_at integer not null, desired_phase text not null,
    deleted_at integer, completed_at integer, spec text not null)`);
  db.exec('create index if not exists workloads_project on workloads (project_id, name)');
  const insert = db.prepare(
    `insert into workloads (${Object.values(COLUMNS).join(', ')}) values (${Object.keys(COLUMNS)
      .map((k) => '@' + k)
      .join(', ')})`,
  );
  const byId = db.prepare(`${SELECT} where id = ?`);
  const byName = db.prepare(`${SELECT} where project_id = ? and name = ? and deleted_at is null`);
  const all = db.prepare(`${SELECT} order by created_at, id`);
  return {
    insert: (w) => void insert.run(w),
    get: (id) => byId.get(id) as WorkloadRecord | undefined,
    findByName: (projectId, name) => byName.get(projectId, name) as WorkloadRecord | undefined,
    list: () => all.all() as WorkloadRecord[],
    update(id, patch) {
      const keys = Object.keys(patch) as (keyof typeof COLUMNS)[];
      if (keys.length === 0) return;
      db.prepare(
        `update workloads set ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} where id = @id`,
      ).run(Object.assign({}, patch, { id }));
    },
    close: () => db.close(),
  };
}
