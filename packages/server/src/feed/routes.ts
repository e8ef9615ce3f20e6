import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createTokenVerifier, type TokenVerifier } from '@tessera/guard';
import { keysFromRing } from '../auth/authenticator.js';
import type { Context } from '../context.js';
import { errorResponses } from '../admin/schemas.js';
import { GuardError } from '@tessera/guard';
import { recordAudit } from '../audit/audit-log.js';
import { DEFAULT_TENANT_ID } from '../bootstrap/bootstrap.js';
import { authenticateCluster, type ClusterPrincipal } from './cluster-auth.js';
import { buildSnapshot, readChanges } from './snapshot.js';

const tags = ['Cluster feed'];
/** How often a waiting long-poll looks for new changes. Works across replicas sharing a store. */
const POLL_INTERVAL_MS = 200;
const MAX_WAIT_MS = 25_000;

const ChangesQuery = Type.Object({
  after: Type.Integer({ minimum: 0, description: 'Cursor of the last change already applied.' }),
  waitMs: Type.Optional(
    Type.Integer({ minimum: 0, maximum: MAX_WAIT_MS, default: 20_000, description: 'Long-poll wait.' }),
  ),
});

/**
 * The change feed Cluster APIs sync from: `GET /api/v1/cluster-feed/snapshot` (full state) and
 * `GET /api/v1/cluster-feed/changes?after=N&waitMs=M` (long-poll). Served to cluster credentials
 * only; every request also records the cluster's last-seen time and version.
 */
export function feedRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    let verifier: TokenVerifier | undefined;
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    const verify = (header: string | undefined) => {
      verifier ??= createTokenVerifier({
        issuer: ctx.issuer(),
        audience: ctx.config.tokenAudience,
        keys: keysFromRing(ctx),
      });
      return verifier.verifyHeader(header);
    };

    app.decorateRequest('cluster', null);
    app.addHook('onRequest', async (request) => {
      const cluster = await authenticateCluster(ctx, verify, request.headers.authorization).catch(
        async (err: unknown) => {
          if (err instanceof GuardError) {
            await recordAudit(ctx.store.db, {
              tenantId: DEFAULT_TENANT_ID,
              actor: { type: 'unknown' },
              action: 'cluster-feed.authenticate',
              resource: { type: 'cluster-feed', name: request.url.split('?')[0] },
              result: 'failure',
              reason: err.code,
              sourceIp: request.ip,
            });
          }
          throw err;
        },
      );
      (request as unknown as { cluster: ClusterPrincipal }).cluster = cluster;
      const version = request.headers['x-tessera-cluster-version'];
      await ctx.store.db
        .updateTable('clusters')
        // `status` stays null: the clusters API derives Connected / Disconnected from last_seen.
        .set({ last_seen: Date.now(), version: typeof version === 'string' ? version.slice(0, 64) : null })
        .where('id', '=', cluster.clusterId)
        .execute();
    });
    const clusterOf = (request: unknown) => (request as { cluster: ClusterPrincipal }).cluster;

    app.get(
      '/api/v1/cluster-feed/snapshot',
      { schema: { tags, operationId: 'get_cluster_feed_snapshot', response: errorResponses(401) } },
      async (request, reply) => {
        const cluster = clusterOf(request);
        const snapshot = await buildSnapshot(ctx.store.db, {
          tenantId: cluster.tenantId,
          clusterId: cluster.clusterId,
          issuer: ctx.issuer(),
          audience: ctx.config.tokenAudience,
        });
        return reply.header('Cache-Control', 'no-store').send(snapshot);
      },
    );

    app.get(
      '/api/v1/cluster-feed/changes',
      {
        schema: {
          tags,
          operationId: 'get_cluster_feed_changes',
          querystring: ChangesQuery,
          response: errorResponses(400, 401),
        },
      },
      async (request, reply) => {
        const cluster = clusterOf(request);
        const deadline = Date.now() + (request.query.waitMs ?? 20_000);
        for (;;) {
          const page = await readChanges(ctx.store.db, cluster.tenantId, request.query.after);
          if (page.changes.length > 0 || page.resync || closing || Date.now() >= deadline) {
            // Shutting down: close the connection too, so the cluster's next poll is refused at
            // connect time rather than answered 503 on this keep-alive connection.
            if (closing) reply.header('Connection', 'close');
            return reply.header('Cache-Control', 'no-store').send(page);
          }
          await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
        }
      },
    );
  };
}
