import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { recordAudit } from '../../audit/audit-log.js';
import type { Context } from '../../context.js';
import { verifyPassword } from '../../crypto/passwords.js';
import { changeOwnPassword } from './own-password.js';
import { invalidField, TesseraError } from '../../errors/registry.js';
import { PASSWORD_CHANGE_ROUTE, principalOf } from '../../http/authenticated.js';
import { tenantSettings } from '../../settings/tenant-settings.js';
import { auditContext } from '../audit-actor.js';
import { errorResponses } from '../schemas.js';

/**
 * `POST /api/v1/me/password`: the caller changes their own password. It is the one route open to a
 * user still on a temporary password; success lifts that restriction.
 */
export function mePasswordRoute(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  return async (app) => {
    app.post(
      PASSWORD_CHANGE_ROUTE,
      {
        schema: {
          tags: ['Users'],
          operationId: 'change_user_password',
          body: Type.Object({
            currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
            newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
          }),
          response: { 200: Type.Object({}), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        if (p.subjectType !== 'user') throw new TesseraError('FORBIDDEN', 'only users have passwords');
        const { currentPassword, newPassword } = request.body;
        const user = await db
          .selectFrom('users')
          .select(['id', 'email', 'password_hash'])
          .where('tenant_id', '=', p.tenantId)
          .where('id', '=', p.claims.sub)
          .executeTakeFirst();
        if (!user) throw new TesseraError('NOT_FOUND', 'user not found');
        const { passwordMinLength } = await tenantSettings(db, p.tenantId);
        if (!(await verifyPassword(user.password_hash, currentPassword))) {
          await recordAudit(db, {
            action: 'change-password',
            resource: { type: 'users', id: user.id, name: user.email },
            result: 'failure',
            reason: 'wrong_password',
            ...auditContext(request),
          });
          throw invalidField('currentPassword', 'is not your current password');
        }
        if (newPassword.length < passwordMinLength)
          throw invalidField('newPassword', `must be at least ${passwordMinLength} characters`);
        if (newPassword === currentPassword)
          throw invalidField('newPassword', 'must differ from the current password');
        await changeOwnPassword(db, user, newPassword, auditContext(request));
        return {};
      },
    );
  };
}
