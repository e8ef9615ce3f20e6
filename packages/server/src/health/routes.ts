import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { TesseraError } from '../errors/registry.js';

/** `/healthz`: the process answers. `/readyz`: and its store answers too. */
export function registerHealth(app: FastifyInstance, ctx: Context): void {
  app.get('/healthz', { schema: { tags: ['Health'], summary: 'Liveness' }, logLevel: 'warn' }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { schema: { tags: ['Health'], summary: 'Readiness' }, logLevel: 'warn' }, async () => {
    try {
      await ctx.store.ping();
    } catch {
      throw new TesseraError('UNAVAILABLE', 'store is not reachable');
    }
    return { status: 'ok' };
  });
}
