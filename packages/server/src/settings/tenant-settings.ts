import type { Kysely } from 'kysely';
import { invalidField } from '../errors/registry.js';
import type { Database } from '../store/schema.js';
import { announceSettingsChange, settingsCacheOf, type StoredSettings } from './settings-cache.js';

type Kind = 'boolean' | 'integer' | 'object';

/** One tenant setting Tessera understands. Keys never contain `_` (the Python SDK rewrites it in paths). */
export interface SettingDefinition {
  key: string;
  kind: Kind;
  category: string;
  label: string;
  description: string;
  /** Inclusive bounds for integers. */
  range?: [number, number];
}

/** Every tenant setting, with the meaning it drives. */
export const TENANT_SETTINGS = [
  {
    key: 'department.use',
    kind: 'boolean',
    category: 'organization',
    label: 'Departments',
    description: 'Organize projects under departments.',
  },
  {
    key: 'tokens.accessTokenLifetimeSeconds',
    kind: 'integer',
    category: 'security',
    label: 'Access token lifetime',
    description: 'Lifetime of access tokens, in seconds (`expiresIn`). Unset: TESSERA_ACCESS_TOKEN_TTL.',
    range: [60, 86_400],
  },
  {
    key: 'tokens.refreshTokenLifetimeSeconds',
    kind: 'integer',
    category: 'security',
    label: 'Refresh token lifetime',
    description: 'Lifetime of refresh tokens, in seconds.',
    range: [300, 31_536_000],
  },
  {
    key: 'security.passwordMinLength',
    kind: 'integer',
    category: 'security',
    label: 'Minimum password length',
    description: 'Shortest password a user may choose.',
    range: [8, 128],
  },
  {
    key: 'security.lockoutMaxFailures',
    kind: 'integer',
    category: 'security',
    label: 'Lockout threshold',
    description: 'Failed sign-ins in a row before an account is locked (0 disables lockout).',
    range: [0, 1000],
  },
  {
    key: 'security.lockoutSeconds',
    kind: 'integer',
    category: 'security',
    label: 'Lockout duration',
    description: 'How long a locked account stays locked, in seconds.',
    range: [1, 86_400],
  },
  {
    key: 'credentials.rotationOverlapSeconds',
    kind: 'integer',
    category: 'security',
    label: 'Secret rotation overlap',
    description:
      'How long the previous secret keeps working after a service account or application secret is regenerated.',
    range: [0, 2_592_000],
  },
  {
    key: 'security.autoRedirectSSO',
    kind: 'object',
    category: 'security',
    label: 'Auto-redirect to SSO',
    description: 'Send the sign-in page straight to an identity provider: {enabled, idpAlias}.',
  },
  {
    key: 'security.browserSessionTimeout',
    kind: 'object',
    category: 'security',
    label: 'Browser session idle timeout',
    description: 'Idle minutes before the web UI signs out: {idleTimeout}.',
  },
  {
    key: 'security.logoutRedirectUri',
    kind: 'object',
    category: 'security',
    label: 'Logout redirect',
    description: 'Where the web UI goes after sign-out: {uri}.',
  },
] as const satisfies readonly SettingDefinition[];

export type SettingKey = (typeof TENANT_SETTINGS)[number]['key'];

/** The effective settings of a tenant: stored values over defaults. */
export interface TenantSettings {
  departmentUse: boolean;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  passwordMinLength: number;
  lockoutMaxFailures: number;
  lockoutSeconds: number;
  rotationOverlapSec: number;
  autoRedirectSSO: { enabled: boolean; idpAlias: string | null };
  browserSessionTimeout: { idleTimeout: number | null };
  logoutRedirectUri: { uri: string | null };
}

/** Defaults that come from the server's config rather than from constants. */
export interface SettingDefaults {
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  lockoutMaxFailures: number;
}

const DEFAULTS: Record<SettingKey, unknown> = {
  'department.use': true,
  'tokens.accessTokenLifetimeSeconds': 3600,
  'tokens.refreshTokenLifetimeSeconds': 2_592_000,
  'security.passwordMinLength': 8,
  'security.lockoutMaxFailures': 10,
  'security.lockoutSeconds': 900,
  'credentials.rotationOverlapSeconds': 0,
  'security.autoRedirectSSO': { enabled: false, idpAlias: null },
  'security.browserSessionTimeout': { idleTimeout: null },
  'security.logoutRedirectUri': { uri: null },
};

/** The definition of a key, or undefined. */
export const definitionOf = (key: string): SettingDefinition | undefined =>
  TENANT_SETTINGS.find((d) => d.key === key);

/** The raw stored-or-default values of every setting, by key. */
export async function settingValues(
  db: Kysely<Database>,
  tenantId: number,
  defaults: Partial<SettingDefaults> = {},
): Promise<Record<string, unknown>> {
  const load = () => storedSettings(db, tenantId);
  const stored = await (settingsCacheOf(db)?.read(tenantId, load) ?? load());
  const values: Record<string, unknown> = { ...DEFAULTS };
  if (defaults.accessTokenTtlSec !== undefined)
    values['tokens.accessTokenLifetimeSeconds'] = defaults.accessTokenTtlSec;
  if (defaults.refreshTokenTtlSec !== undefined)
    values['tokens.refreshTokenLifetimeSeconds'] = defaults.refreshTokenTtlSec;
  if (defaults.lockoutMaxFailures !== undefined)
    values['security.lockoutMaxFailures'] = defaults.lockoutMaxFailures;
  Object.assign(values, stored);
  return values;
}

/** The tenant's stored settings of known keys, parsed and frozen (they may be shared through the cache). */
async function storedSettings(db: Kysely<Database>, tenantId: number): Promise<StoredSettings> {
  const rows = await db
    .selectFrom('tenant_settings')
    .select(['key', 'value'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const stored: Record<string, unknown> = {};
  for (const row of rows) if (definitionOf(row.key)) stored[row.key] = Object.freeze(JSON.parse(row.value));
  return Object.freeze(stored);
}

/**
 * A tenant's effective settings. The refresh-token lifetime and lockout policy are read by the
 * OAuth grants; the access-token lifetime drives `expiresIn`.
 *
 * @example
 * ```ts
 * const { accessTokenTtlSec } = await tenantSettings(db, tenantId, { accessTokenTtlSec: config.accessTokenTtlSec })
 * ```
 */
export async function tenantSettings(
  db: Kysely<Database>,
  tenantId: number,
  defaults: Partial<SettingDefaults> = {},
): Promise<TenantSettings> {
  const v = await settingValues(db, tenantId, defaults);
  return {
    departmentUse: v['department.use'] as boolean,
    accessTokenTtlSec: v['tokens.accessTokenLifetimeSeconds'] as number,
    refreshTokenTtlSec: v['tokens.refreshTokenLifetimeSeconds'] as number,
    passwordMinLength: v['security.passwordMinLength'] as number,
    lockoutMaxFailures: v['security.lockoutMaxFailures'] as number,
    lockoutSeconds: v['security.lockoutSeconds'] as number,
    rotationOverlapSec: v['credentials.rotationOverlapSeconds'] as number,
    autoRedirectSSO: v['security.autoRedirectSSO'] as TenantSettings['autoRedirectSSO'],
    browserSessionTimeout: v['security.browserSessionTimeout'] as TenantSettings['browserSessionTimeout'],
    logoutRedirectUri: v['security.logoutRedirectUri'] as TenantSettings['logoutRedirectUri'],
  };
}

/** Checks a value for a key; throws a 400 naming `field` when it does not fit. */
export function validateSetting(def: SettingDefinition, value: unknown, field = 'value'): void {
  if (def.kind === 'boolean' && typeof value !== 'boolean')
    throw invalidField(field, `${def.key} needs true or false`);
  if (def.kind === 'integer') {
    const [min, max] = def.range ?? [0, Number.MAX_SAFE_INTEGER];
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      throw invalidField(field, `${def.key} needs a whole number from ${min} to ${max}`);
  }
  if (def.kind === 'object' && (typeof value !== 'object' || value === null || Array.isArray(value)))
    throw invalidField(field, `${def.key} needs an object`);
}

/**
 * Stores a value (validated by the caller); pass the transaction that audits it. After that
 * transaction commits, call `settingsChanged(db, tenantId)` so this process applies it at once;
 * other replicas are told by the NOTIFY this sends (settings/settings-cache.ts).
 */
export async function writeSetting(
  db: Kysely<Database>,
  tenantId: number,
  key: string,
  value: unknown,
  by: string,
): Promise<void> {
  const now = Date.now();
  const text = JSON.stringify(value);
  await db
    .insertInto('tenant_settings')
    .values({ tenant_id: tenantId, key, value: text, updated_by: by, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'key']).doUpdateSet({ value: text, updated_by: by, updated_at: now }),
    )
    .execute();
  await announceSettingsChange(db, tenantId);
}
