import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { drainRejectedBodies } from '@tessera/http';
import { OneLineRequestLog } from '@tessera/log';
import { accessRuleRoutes } from '../admin/access-rules/routes.js';
import { adminRoutes } from '../admin/register.js';
import { appRoutes } from '../admin/apps/routes.js';
import { roleRoutes } from '../admin/roles/routes.js';
import { ErrorBody } from '../admin/schemas.js';
import { createAuthenticator } from '../auth/authenticator.js';
import type { Context } from '../context.js';
import { registerHealth } from '../health/routes.js';
import { signingKeyRoutes } from '../keys/routes.js';
import { registerOAuth } from '../oauth/routes.js';
import { registerTokenV1 } from '../token/v1/route.js';
import { registerLegacyAppToken } from '../token/v1/legacy-apptoken.js';
import { registerWebUi } from '../web/static.js';
import { registerWellKnown } from '../wellknown/routes.js';
import { feedRoutes } from '../feed/routes.js';
import { requireAuthentication } from './authenticated.js';
import { installErrorHandling } from './error-handler.js';

/**
 * Builds the control plane's HTTP server: public endpoints (health, discovery, tokens) and the
 * Administrator REST API behind bearer authentication.
 *
 * @example
 * ```ts
 * const app = await buildServer(ctx)
 * await app.listen({ port: 8080, host: '127.0.0.1' })
 * ```
 */
export async function buildServer(
  ctx: Context,
  logger: FastifyInstance['log'] | false,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger || undefined,
    bodyLimit: ctx.config.bodyLimitBytes,
    // Header size is bounded by Node's own --max-http-header-size (16 KiB by default).
    requestTimeout: 30_000,
    return503OnClosing: true,
    // Only named proxies may say who the client is; otherwise anyone could pick their throttle key.
    trustProxy: ctx.config.trustProxy.length ? [...ctx.config.trustProxy] : false,
    logController: new OneLineRequestLog(),
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  drainRejectedBodies(app);
  app.addSchema(ErrorBody);
  // Callback style: an async hook costs every request a promise and a microtask turn.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    done(null, payload);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Tessera API',
        version: '0.1.0',
        description: 'Run:ai-compatible authentication and administration API.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearerAuth: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerHealth(app, ctx);
  registerWellKnown(app, ctx);
  registerTokenV1(app, ctx);
  registerLegacyAppToken(app, ctx);
  await registerWebUi(app, ctx);
  await registerOAuth(app, ctx);

  await app.register(feedRoutes(ctx));

  const authenticate = createAuthenticator(ctx);
  await app.register(async (admin) => {
    requireAuthentication(admin, ctx, authenticate);
    await admin.register(appRoutes(ctx));
    await admin.register(roleRoutes);
    await admin.register(accessRuleRoutes(ctx));
    await admin.register(adminRoutes(ctx));
    await admin.register(signingKeyRoutes(ctx));
  });
  return app;
}
