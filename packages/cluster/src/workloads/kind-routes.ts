import { randomUUID } from 'node:crypto';
import { guardPrincipalOf } from '@tessera/guard';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClusterContext } from '../context.js';
import { ClusterError } from '../http/errors.js';
import type { WorkloadKind } from '../store/store.js';
import { authorizeProject, findWorkload } from './access.js';
import { toKindResponse } from './present.js';

const NAME = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
const CreationRequest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 63, pattern: NAME }),
  useGivenNameAsPrefix: Type.Optional(Type.Boolean()),
  projectId: Type.String({ minLength: 1, maxLength: 32 }),
  clusterId: Type.String({ minLength: 1, maxLength: 64 }),
  templateId: Type.Optional(Type.String()),
  spec: Type.Optional(Type.Object({}, { additionalProperties: true })),
});
const IdParams = Type.Object({ workloadId: Type.String({ minLength: 1, maxLength: 64 }) });
const ACCEPTED = { code: 202, message: 'Request has been accepted.' };

/**
 * `/api/v1/workloads/{trainings|workspaces|inferences}`: create, get, delete, suspend, resume — each
 * allowed only where an access rule grants the kind's permission on the workload's project.
 */
export function kindRoutes(ctx: ClusterContext, kind: WorkloadKind): FastifyPluginAsyncTypebox {
  const base = `/api/v1/workloads/${kind}`;
  return async (app) => {
    app.post(base, { schema: { body: CreationRequest } }, async (request, reply) => {
      const principal = guardPrincipalOf(request);
      const body = request.body;
      const clusterId = ctx.guard.state.identity?.clusterId;
      if (body.clusterId.toLowerCase() !== clusterId) {
        throw new ClusterError(
          400,
          `clusterId: this is cluster ${clusterId}, not ${body.clusterId.slice(0, 64)}`,
        );
      }
      const project = authorizeProject(ctx, principal, body.projectId, kind, 'create');
      const name = body.useGivenNameAsPrefix ? `${body.name}-${randomUUID().slice(0, 5)}` : body.name;
      if (ctx.store.findByName(project.id, name)) {
        throw new ClusterError(
          409,
          `name: a workload named "${name}" already exists in project ${project.id}`,
        );
      }
      const now = Date.now();
      const claims = principal.claims;
      const record = {
        id: randomUUID(),
        kind,
        name,
        projectId: project.id,
        createdBy: claims.email ?? claims.client_id ?? claims.sub,
        createdAt: now,
        updatedAt: now,
        phase: 'Creating',
        phaseUpdatedAt: now,
        desiredPhase: 'Running' as const,
        deletedAt: null,
        completedAt: null,
        spec: JSON.stringify(body.spec ?? {}),
      };
      ctx.store.insert(record);
      ctx.executor.start(record);
      return reply.code(202).send(toKindResponse(findWorkload(ctx, record.id), project, ctx.guard.state));
    });

    app.get(`${base}/:workloadId`, { schema: { params: IdParams } }, async (request) => {
      const w = findWorkload(ctx, request.params.workloadId, kind);
      const project = authorizeProject(ctx, guardPrincipalOf(request), w.projectId, kind, 'read');
      return toKindResponse(w, project, ctx.guard.state);
    });

    app.delete(`${base}/:workloadId`, { schema: { params: IdParams } }, async (request, reply) => {
      const w = findWorkload(ctx, request.params.workloadId, kind);
      authorizeProject(ctx, guardPrincipalOf(request), w.projectId, kind, 'delete');
      ctx.executor.remove(w.id);
      ctx.store.update(w.id, { desiredPhase: 'Deleted', deletedAt: Date.now() });
      return reply.code(202).send(ACCEPTED);
    });

    app.post(`${base}/:workloadId/suspend`, { schema: { params: IdParams } }, async (request, reply) => {
      const w = findWorkload(ctx, request.params.workloadId, kind);
      authorizeProject(ctx, guardPrincipalOf(request), w.projectId, kind, 'update');
      ctx.store.update(w.id, { desiredPhase: 'Stopped' });
      ctx.executor.suspend(w.id);
      return reply.code(202).send(ACCEPTED);
    });

    app.post(`${base}/:workloadId/resume`, { schema: { params: IdParams } }, async (request, reply) => {
      const w = findWorkload(ctx, request.params.workloadId, kind);
      authorizeProject(ctx, guardPrincipalOf(request), w.projectId, kind, 'update');
      if (w.desiredPhase !== 'Stopped') throw new ClusterError(409, `workload ${w.id} is not suspended`);
      ctx.store.update(w.id, { desiredPhase: 'Running' });
      ctx.executor.start(w);
      return reply.code(202).send(ACCEPTED);
    });
  };
}
