import { guardPrincipalOf } from '@tessera/guard';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClusterContext } from '../context.js';
import { authorizeProject, findWorkload } from './access.js';
import { toWorkload } from './present.js';

const ListQuery = Type.Object({
  deleted: Type.Optional(Type.Boolean({ default: false })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  projectId: Type.Optional(Type.String({ maxLength: 32 })),
});

/** `GET /api/v1/workloads` (only workloads in projects the caller may read) and `GET /api/v1/workloads/{id}`. */
export function listRoutes(ctx: ClusterContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/v1/workloads', { schema: { querystring: ListQuery } }, async (request) => {
      const principal = guardPrincipalOf(request);
      const { deleted = false, offset = 0, limit = 50, projectId } = request.query;
      const state = ctx.guard.state;
      const readable = new Map(
        state
          .servedProjects()
          .filter((p) => !projectId || p.id === projectId)
          .filter((p) => ctx.guard.can(principal, 'workloads', 'read', state.ancestryOf(p)))
          .map((p) => [p.id, p]),
      );
      const all = ctx.store
        .list()
        .filter((w) => readable.has(w.projectId) && (deleted || w.deletedAt === null));
      const page = all.slice(offset, offset + limit);
      return {
        workloads: page.map((w) => toWorkload(w, readable.get(w.projectId), state)),
        ...(offset + limit < all.length ? { next: offset + limit } : {}),
      };
    });

    app.get(
      '/api/v1/workloads/:workloadId',
      { schema: { params: Type.Object({ workloadId: Type.String({ maxLength: 64 }) }) } },
      async (request) => {
        const w = findWorkload(ctx, request.params.workloadId);
        const project = authorizeProject(ctx, guardPrincipalOf(request), w.projectId, 'workloads', 'read');
        return toWorkload(w, project, ctx.guard.state);
      },
    );
  };
}
