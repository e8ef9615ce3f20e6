import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { requirePermission } from '../auth/principal.js';
import { recordAudit } from '../audit/audit-log.js';
import { auditContext } from '../admin/audit-actor.js';
import { errorResponses } from '../admin/schemas.js';
import type { Context } from '../context.js';
import { invalidField, TesseraError } from '../errors/registry.js';
import { principalOf } from '../http/authenticated.js';
import { tenantScope } from '../scopes/ancestry.js';
import { settingsChanged } from './settings-cache.js';
import {
  definitionOf,
  settingValues,
  TENANT_SETTINGS,
  validateSetting,
  writeSetting,
} from './tenant-settings.js';

const Setting = Type.Object({
  key: Type.String(),
  value: Type.String(),
  label: Type.String(),
  category: Type.String(),
  description: Type.String(),
  type: Type.String(),
  source: Type.String(),
  stage: Type.String(),
  active: Type.Boolean(),
});
/** Security settings exposed by `/api/v1/security/settings`, and the tenant key behind each. */
const SECURITY_KEYS: Record<string, string> = {
  autoRedirectSSO: 'security.autoRedirectSSO',
  browserSessionTimeout: 'security.browserSessionTimeout',
  logoutRedirectUri: 'security.logoutRedirectUri',
};
const SecurityBodies: Record<string, ReturnType<typeof Type.Object>> = {
  autoRedirectSSO: Type.Object(
    {
      enabled: Type.Boolean(),
      idpAlias: Type.Optional(
        Type.Union([Type.String({ pattern: '^[a-z0-9-]*$', maxLength: 64 }), Type.Null()]),
      ),
    },
    { additionalProperties: false },
  ),
  browserSessionTimeout: Type.Object(
    { idleTimeout: Type.Union([Type.Integer({ minimum: 1, maximum: 10_080 }), Type.Null()]) },
    { additionalProperties: false },
  ),
  logoutRedirectUri: Type.Object(
    { uri: Type.Union([Type.String({ maxLength: 2048, pattern: '^(https?://\\S+)?$' }), Type.Null()]) },
    { additionalProperties: false },
  ),
};

/** `/v1/k8s/setting` (tenant settings) and `/api/v1/security/settings`. */
export function settingRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  const db = ctx.store.db;
  const defaults = { accessTokenTtlSec: ctx.config.accessTokenTtlSec };
  return async (app) => {
    app.get(
      '/v1/k8s/setting',
      {
        schema: {
          tags: ['Settings'],
          operationId: 'getTenantSettings',
          response: { 200: Type.Array(Setting), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'settings', 'read', [tenantScope(p.tenantId)]);
        const values = await settingValues(db, p.tenantId, defaults);
        return TENANT_SETTINGS.map((d) => ({
          key: d.key,
          value: typeof values[d.key] === 'object' ? JSON.stringify(values[d.key]) : String(values[d.key]),
          label: d.label,
          category: d.category,
          description: d.description,
          type: d.kind,
          source: 'tenant',
          stage: 'GA',
          active: true,
        }));
      },
    );

    app.get(
      '/v1/k8s/setting/:settingKey',
      {
        schema: {
          tags: ['Settings'],
          operationId: 'getTenantSettingsByKey',
          params: Type.Object({ settingKey: Type.String({ maxLength: 128 }) }),
          response: errorResponses(401, 403, 404),
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'settings', 'read', [tenantScope(p.tenantId)]);
        const def = definitionOf(request.params.settingKey);
        if (!def)
          throw new TesseraError('NOT_FOUND', `setting ${request.params.settingKey.slice(0, 64)} not found`);
        return (await settingValues(db, p.tenantId, defaults))[def.key] ?? null;
      },
    );

    app.put(
      '/v1/k8s/setting',
      {
        schema: {
          tags: ['Settings'],
          operationId: 'updateTenantSetting',
          body: Type.Object({ key: Type.String({ maxLength: 128 }), value: Type.Unknown() }),
          response: { 200: Type.Object({ msg: Type.String() }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'settings', 'update', [tenantScope(p.tenantId)]);
        const { key, value } = request.body;
        const def = definitionOf(key);
        if (!def) throw invalidField('key', `unknown setting "${key.slice(0, 64)}"`);
        validateSetting(def, value);
        await db.transaction().execute(async (trx) => {
          await writeSetting(trx, p.tenantId, key, value, p.displayName);
          await recordAudit(trx, {
            action: 'update',
            resource: { type: 'settings', id: key, name: key },
            result: 'success',
            details: { value },
            ...auditContext(request),
          });
        });
        settingsChanged(db, p.tenantId);
        return { msg: `setting ${key} updated` };
      },
    );

    app.get(
      '/api/v1/security/settings',
      {
        schema: {
          tags: ['Security settings'],
          operationId: 'get_security_settings',
          response: errorResponses(401, 403),
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'security-settings', 'read', [tenantScope(p.tenantId)]);
        const values = await settingValues(db, p.tenantId, defaults);
        return Object.fromEntries(Object.entries(SECURITY_KEYS).map(([name, key]) => [name, values[key]]));
      },
    );

    const SecurityParams = Type.Object({ key: Type.String({ maxLength: 64 }) });
    app.get(
      '/api/v1/security/settings/:key',
      {
        schema: {
          tags: ['Security settings'],
          operationId: 'get_security_setting_by_key',
          params: SecurityParams,
          response: errorResponses(401, 403, 404),
        },
      },
      async (request) => {
        const p = principalOf(request);
        requirePermission(p, 'security-settings', 'read', [tenantScope(p.tenantId)]);
        const key = Object.hasOwn(SECURITY_KEYS, request.params.key)
          ? SECURITY_KEYS[request.params.key]
          : undefined;
        if (!key) throw new TesseraError('NOT_FOUND', `security setting ${request.params.key} not found`);
        return (await settingValues(db, p.tenantId, defaults))[key];
      },
    );

    app.put(
      '/api/v1/security/settings/:key',
      {
        schema: {
          tags: ['Security settings'],
          operationId: 'update_security_setting_by_key',
          params: SecurityParams,
          response: errorResponses(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        requirePermission(p, 'security-settings', 'update', [tenantScope(p.tenantId)]);
        const name = request.params.key;
        const key = Object.hasOwn(SECURITY_KEYS, name) ? SECURITY_KEYS[name] : undefined;
        if (!key) throw new TesseraError('NOT_FOUND', `security setting ${name} not found`);
        const value = request.body;
        validateSecurityBody(name, value);
        await db.transaction().execute(async (trx) => {
          await writeSetting(trx, p.tenantId, key, value, p.displayName);
          await recordAudit(trx, {
            action: 'update',
            resource: { type: 'security-settings', id: name, name },
            result: 'success',
            details: { value },
            ...auditContext(request),
          });
        });
        settingsChanged(db, p.tenantId);
        return reply.code(200).send();
      },
    );
  };
}

const COMPILED = Object.fromEntries(
  Object.entries(SecurityBodies).map(([k, s]) => [k, TypeCompiler.Compile(s)]),
);

function validateSecurityBody(name: string, value: unknown): void {
  const checker = COMPILED[name];
  if (!checker) return;
  const first = checker.Errors(value).First();
  if (!first) return;
  // A nullable field fails as "Expected union value"; its non-null branch's error says what is wrong.
  const branch = first.errors.flatMap((it) => [...it]).find((e) => e.type !== ValueErrorType.Null);
  throw invalidField(`body${first.path.replaceAll('/', '.')}`, (branch ?? first).message);
}
