import { guardPrincipalOf } from '@tessera/guard';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClusterContext } from '../context.js';

/** `GET /api/v1/org-unit/projects`: the projects of this cluster the caller may read. */
export function projectRoutes(ctx: ClusterContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/v1/org-unit/projects', async (request) => {
      const principal = guardPrincipalOf(request);
      const state = ctx.guard.state;
      const projects = state
        .servedProjects()
        .filter((p) => ctx.guard.can(principal, 'project', 'read', state.ancestryOf(p)))
        .map((p) => ({
          id: p.id,
          name: p.name,
          parentId: p.departmentId,
          clusterId: state.identity?.clusterId,
          tenantId: state.identity?.tenantId,
        }));
      return { projects, next: 0 };
    });
  };
}
