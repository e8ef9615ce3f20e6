import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fastifyGuard } from '@tessera/guard';
import { drainRejectedBodies } from '@tessera/http';
import { OneLineRequestLog } from '@tessera/log';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ClusterContext } from '../context.js';
import { projectRoutes } from '../projects/routes.js';
import { kindRoutes } from '../workloads/kind-routes.js';
import { listRoutes } from '../workloads/list-routes.js';
import { installErrorHandling } from './errors.js';

/**
 * The Cluster API's HTTP server: `/healthz`, `/readyz` (200 once synced with the control plane),
 * and the workload and project endpoints behind the guard. With `guarded: false` the guard is off
 * (benchmarks compare the two); every caller is then treated as allowed.
 *
 * @example
 * ```ts
 * const app = await buildClusterServer(ctx, logger)
 * await app.listen({ port: 8081 })
 * ```
 */
export async function buildClusterServer(
  ctx: ClusterContext,
  logger: FastifyInstance['log'] | false,
  options: { guarded?: boolean } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger || undefined,
    logController: new OneLineRequestLog(),
    bodyLimit: 1_048_576,
    requestTimeout: 30_000,
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandling(app);
  drainRejectedBodies(app);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) =>
    ctx.guard.isReady()
      ? { status: 'ready', connected: ctx.guard.isConnected(), cursor: ctx.guard.state.cursor }
      : reply.code(503).send({ code: 503, message: 'not synced with the control plane yet' }),
  );

  await app.register(async (api) => {
    if (options.guarded !== false) await api.register(fastifyGuard, { guard: ctx.guard });
    // A callback hook like the guard's, so that guard on / off compares the guard's work alone.
    else
      api.addHook('onRequest', (request, _reply, done) => {
        request.guardPrincipal = OPEN_PRINCIPAL;
        done();
      });
    await api.register(listRoutes(ctx));
    await api.register(projectRoutes(ctx));
    for (const kind of ['trainings', 'workspaces', 'inferences'] as const)
      await api.register(kindRoutes(ctx, kind));
  });
  return app;
}

/** The caller with the guard off: a System administrator on everything. */
const OPEN_PRINCIPAL = {
  claims: {
    iss: '',
    sub: 'anonymous',
    aud: '',
    exp: 0,
    iat: 0,
    jti: '',
    client_id: 'anonymous',
    tenant_id: 0,
    subject_type: 'app' as const,
  },
  rules: [{ roleId: 1, scopeType: 'system' as const, scopeId: '' }],
};
