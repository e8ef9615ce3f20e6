import type { FastifyPluginAsync } from 'fastify';
import { auditRoutes } from '../audit/routes.js';
import type { Context } from '../context.js';
import { idpMapperRoutes } from '../idps/mappers-routes.js';
import { idpRoutes } from '../idps/routes.js';
import { settingRoutes } from '../settings/routes.js';
import { accessKeyRoutes } from './access-keys/routes.js';
import { authorizationReadRoutes } from './authorization/routes.js';
import { clusterRoutes } from './clusters/routes.js';
import { departmentRoutes } from './org-units/departments.js';
import { projectRoutes } from './org-units/projects.js';
import { serviceAccountRoutes } from './service-accounts/routes.js';
import { mePasswordRoute } from './users/me-password.js';
import { userRoutes } from './users/routes.js';

/**
 * The Administrator REST API beyond the foundation's apps, roles and access rules (issue #3).
 * Registered inside the authenticated scope of the server.
 *
 * @example
 * ```ts
 * await admin.register(adminRoutes(ctx))
 * ```
 */
export function adminRoutes(ctx: Context): FastifyPluginAsync {
  return async (app) => {
    await app.register(departmentRoutes(ctx));
    await app.register(projectRoutes(ctx));
    await app.register(clusterRoutes(ctx));
    await app.register(userRoutes(ctx));
    await app.register(mePasswordRoute(ctx));
    await app.register(serviceAccountRoutes(ctx));
    await app.register(accessKeyRoutes(ctx));
    await app.register(authorizationReadRoutes(ctx));
    await app.register(settingRoutes(ctx));
    await app.register(idpRoutes(ctx));
    await app.register(idpMapperRoutes(ctx));
    await app.register(auditRoutes(ctx));
  };
}
