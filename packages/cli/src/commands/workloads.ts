import { randomBytes } from 'node:crypto';
import { type Command, InvalidArgumentError } from 'commander';
import {
  type ClusterProject,
  clusterCall,
  findProject,
  findWorkload,
  kindPath,
  type Workload,
} from '../cluster/cluster-api.js';
import { usageError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { printJson, printTable } from '../ui/output.js';

function gpus(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1024)
    throw new InvalidArgumentError('must be a number of GPUs (0..1024)');
  return n;
}

async function clusterIdOf(r: Runtime, project: ClusterProject): Promise<string> {
  const id = r.config.clusterId ?? project.clusterId;
  if (!id) throw usageError('no cluster id: run `runai config set --cluster <uuid>`');
  return id;
}

/**
 * Workload commands against the current cluster's Cluster API: `submit`, `list workloads|projects`,
 * `describe`, `delete`, `suspend`, `resume`.
 *
 * @example
 * ```sh
 * runai submit -p team-a -i python:3.12 -g 1 -- python train.py --epochs 3
 * ```
 */
export function registerWorkloads(program: Command, rt: () => Runtime): void {
  program
    .command('submit')
    .description('submit a training workload')
    .argument('[command...]', 'the command and its arguments (after --)')
    .requiredOption('-p, --project <project>', 'project name or id')
    .requiredOption('-i, --image <image>', 'container image')
    .option('-g, --gpu <count>', 'GPU devices to request', gpus)
    .option('--name <name>', 'workload name (default: a generated one)')
    .option('--json', 'print JSON')
    .action(
      async (
        command: string[],
        opts: { project: string; image: string; gpu?: number; name?: string; json?: boolean },
      ) => {
        const r = rt();
        if (opts.name !== undefined && !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(opts.name)) {
          throw usageError('--name: lowercase letters, digits and dashes, starting with a letter');
        }
        const project = await findProject(r, opts.project);
        const [cmd, ...args] = command;
        const spec: Record<string, unknown> = { image: opts.image };
        if (cmd !== undefined) spec.command = cmd;
        if (args.length) spec.args = args.join(' ');
        if (opts.gpu !== undefined) spec.compute = { gpuDevicesRequest: opts.gpu };
        const created = await clusterCall<{ workloadId: string; name: string; actualPhase?: string }>(
          r,
          'POST',
          '/api/v1/workloads/trainings',
          {
            name: opts.name ?? `train-${randomBytes(3).toString('hex')}`,
            projectId: project.id,
            clusterId: await clusterIdOf(r, project),
            spec,
          },
        );
        if (opts.json) return printJson(r, created);
        r.out.write(
          `Workload ${created.name} submitted to project ${project.name} (id ${created.workloadId})\n`,
        );
      },
    );

  const list = program.command('list').description('list workloads or projects');
  list
    .command('workloads', { isDefault: true })
    .alias('jobs')
    .description('list workloads you can see')
    .option('-p, --project <project>', 'only this project (name or id)')
    .option('--json', 'print JSON')
    .action(async (opts: { project?: string; json?: boolean }) => {
      const r = rt();
      const query = new URLSearchParams({ limit: '500' });
      if (opts.project) query.set('projectId', (await findProject(r, opts.project)).id);
      const { workloads } = await clusterCall<{ workloads: Workload[] }>(
        r,
        'GET',
        `/api/v1/workloads?${query}`,
      );
      if (opts.json) return printJson(r, workloads);
      printTable(
        r,
        ['NAME', 'TYPE', 'PROJECT', 'STATUS', 'SUBMITTED BY', 'CREATED', 'ID'],
        workloads.map((w) => [
          w.name,
          w.type,
          w.projectName || w.projectId,
          w.phase,
          w.submittedBy,
          w.createdAt,
          w.id,
        ]),
      );
    });
  list
    .command('projects')
    .description('list projects you can use on this cluster')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = rt();
      const { projects } = await clusterCall<{ projects: ClusterProject[] }>(
        r,
        'GET',
        '/api/v1/org-unit/projects',
      );
      if (opts.json) return printJson(r, projects);
      printTable(
        r,
        ['NAME', 'ID'],
        projects.map((p) => [p.name, p.id]),
      );
    });

  program
    .command('describe')
    .description('show a workload in detail')
    .argument('<workload>', 'workload name or id')
    .option('-p, --project <project>', 'the project (when names repeat across projects)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { project?: string; json?: boolean }) => {
      const r = rt();
      const projectId = opts.project ? (await findProject(r, opts.project)).id : undefined;
      const w = await findWorkload(r, name, projectId);
      const detail = await clusterCall<Record<string, unknown>>(
        r,
        'GET',
        `/api/v1/workloads/${kindPath(w.type)}/${w.id}`,
      );
      if (opts.json) return printJson(r, Object.assign({}, w, detail));
      const rows: [string, unknown][] = [
        ['Name', w.name],
        ['Id', w.id],
        ['Type', w.type],
        ['Project', w.projectName || w.projectId],
        ['Status', w.phase],
        ['Desired', detail.desiredPhase],
        ['Submitted by', w.submittedBy],
        ['Created', w.createdAt],
        ['Spec', JSON.stringify(detail.spec ?? {})],
      ];
      for (const [k, v] of rows) if (v !== undefined) r.out.write(`${`${k}:`.padEnd(14)}${String(v)}\n`);
    });

  for (const [verb, description] of [
    ['delete', 'delete a workload'],
    ['suspend', 'suspend a running workload'],
    ['resume', 'resume a suspended workload'],
  ] as const) {
    program
      .command(verb)
      .description(description)
      .argument('<workload>', 'workload name or id')
      .option('-p, --project <project>', 'the project (when names repeat across projects)')
      .action(async (name: string, opts: { project?: string }) => {
        const r = rt();
        const projectId = opts.project ? (await findProject(r, opts.project)).id : undefined;
        const w = await findWorkload(r, name, projectId);
        const base = `/api/v1/workloads/${kindPath(w.type)}/${w.id}`;
        await clusterCall(
          r,
          verb === 'delete' ? 'DELETE' : 'POST',
          verb === 'delete' ? base : `${base}/${verb}`,
        );
        const past = { delete: 'deleted', suspend: 'suspended', resume: 'resumed' }[verb];
        r.out.write(`Workload ${w.name} ${past}\n`);
      });
  }
}
