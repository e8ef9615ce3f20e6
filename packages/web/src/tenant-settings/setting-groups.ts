import type { SecuritySettings, TenantSetting } from '@tessera/client';
import { api } from '../api.js';
import {
  durationDraft,
  durationValue,
  MINUTE_UNITS,
  SECOND_UNITS,
  type DurationDraft,
  type DurationUnit,
} from './durations.js';

/** One input of the form; `wire` is its property in the server's object (to place the server's messages). */
export type Field = { id: string; label: string; wire?: string } & (
  | { kind: 'boolean' }
  | { kind: 'number'; suffix?: string }
  | { kind: 'duration'; units: readonly DurationUnit[]; optional?: boolean }
  | { kind: 'text'; placeholder?: string }
);

/** What the form holds for a field: a checkbox state, typed text, or an amount with a unit. */
export type FieldDraft = boolean | string | DurationDraft;
export type Drafts = Record<string, FieldDraft>;

/** One setting as the server stores it (one `PUT`), shown with one or more fields. */
export interface SettingGroup {
  id: string;
  section: string;
  label: string;
  description: string;
  editable: boolean;
  fields: Field[];
  /** The value in the server's shape, as now stored. */
  current: unknown;
  /** Drafts of `fields` from `current`. */
  drafts: () => Drafts;
  /** The value to send from the drafts; throws a {@link SettingInputError} with a readable message for unusable input. */
  toValue: (drafts: Drafts) => unknown;
  save: (value: unknown) => Promise<unknown>;
}

/** Tenant settings that are counts rather than durations, and what they count. */
const SUFFIX: Record<string, string> = {
  'security.passwordMinLength': 'characters',
  'security.lockoutMaxFailures': 'failed sign-ins',
};
const SECTION: Record<string, string> = {
  organization: 'General',
  security: 'Tokens, passwords and lockout',
};
const SIGN_IN = 'Sign-in and sessions';

/** Input the form cannot send (empty or not a number); its message names the field. */
export class SettingInputError extends Error {}

const number = (label: string, value: number | null, optional = false): number | null => {
  if (value === null) {
    if (optional) return null;
    throw new SettingInputError(`${label}: enter a value.`);
  }
  if (!Number.isFinite(value)) throw new SettingInputError(`${label}: enter a number.`);
  return value;
};

function tenantGroup(s: TenantSetting, editable: boolean): SettingGroup | undefined {
  const base = {
    id: s.key,
    section: SECTION[s.category] ?? 'Other',
    label: s.label,
    description: s.description,
  };
  const save = (value: unknown) => api.settings.set(s.key, value);
  if (s.type === 'boolean') {
    const field: Field = { kind: 'boolean', id: s.key, label: s.label };
    return {
      ...base,
      editable,
      fields: [field],
      current: s.value === 'true',
      save,
      drafts: () => ({ [s.key]: s.value === 'true' }),
      toValue: (d) => d[s.key] === true,
    };
  }
  if (s.type === 'integer') {
    const current = Number(s.value);
    // Settings kept in seconds say so in their key; they are typed with a unit.
    const field: Field = s.key.endsWith('Seconds')
      ? { kind: 'duration', id: s.key, label: s.label, units: SECOND_UNITS }
      : { kind: 'number', id: s.key, label: s.label, suffix: SUFFIX[s.key] };
    return {
      ...base,
      editable,
      fields: [field],
      current,
      save,
      drafts: () => ({ [s.key]: field.kind === 'duration' ? durationDraft(current, SECOND_UNITS) : s.value }),
      toValue: (d) => {
        const draft = d[s.key]!;
        const text = typeof draft === 'string' ? draft.trim() : '';
        return number(
          s.label,
          typeof draft === 'object' ? durationValue(draft) : text === '' ? null : Number(text),
        );
      },
    };
  }
  return undefined;
}

/** The security settings of `/api/v1/security/settings`, labelled from the tenant setting behind each. */
function securityGroups(
  sec: SecuritySettings,
  tenant: readonly TenantSetting[],
  editable: boolean,
): SettingGroup[] {
  const about = (name: string, label: string, description: string) => {
    const t = tenant.find((s) => s.key === `security.${name}`);
    return {
      id: name,
      section: SIGN_IN,
      label: t?.label ?? label,
      description: t?.description ?? description,
      editable,
    };
  };
  const text = (d: Drafts, id: string) => String(d[id] ?? '').trim();
  const save =
    <K extends keyof SecuritySettings>(name: K) =>
    (value: unknown) =>
      api.settings.setSecurity(name, value as SecuritySettings[K]);
  const sso = sec.autoRedirectSSO;
  const idle = sec.browserSessionTimeout;
  const logout = sec.logoutRedirectUri;
  return [
    {
      ...about(
        'autoRedirectSSO',
        'Auto-redirect to SSO',
        'Send the sign-in page straight to an identity provider.',
      ),
      fields: [
        {
          kind: 'boolean',
          id: 'sso.enabled',
          wire: 'enabled',
          label: 'Redirect sign-in to the identity provider',
        },
        {
          kind: 'text',
          id: 'sso.idpAlias',
          wire: 'idpAlias',
          label: 'Identity provider alias',
          placeholder: 'e.g. corp-oidc',
        },
      ],
      current: sso,
      drafts: () => ({ 'sso.enabled': sso.enabled, 'sso.idpAlias': sso.idpAlias ?? '' }),
      toValue: (d) => ({ enabled: d['sso.enabled'] === true, idpAlias: text(d, 'sso.idpAlias') || null }),
      save: save('autoRedirectSSO'),
    },
    {
      ...about(
        'browserSessionTimeout',
        'Browser session idle timeout',
        'Idle time before the web UI signs out.',
      ),
      fields: [
        {
          kind: 'duration',
          id: 'idle',
          wire: 'idleTimeout',
          label: 'Idle timeout',
          units: MINUTE_UNITS,
          optional: true,
        },
      ],
      current: idle,
      drafts: () => ({ idle: durationDraft(idle.idleTimeout, MINUTE_UNITS) }),
      toValue: (d) => ({ idleTimeout: number('Idle timeout', durationValue(d.idle as DurationDraft), true) }),
      save: save('browserSessionTimeout'),
    },
    {
      ...about('logoutRedirectUri', 'Logout redirect', 'Where the web UI goes after sign-out.'),
      fields: [
        {
          kind: 'text',
          id: 'logout.uri',
          wire: 'uri',
          label: 'Logout redirect URL',
          placeholder: 'https://…',
        },
      ],
      current: logout,
      drafts: () => ({ 'logout.uri': logout.uri ?? '' }),
      toValue: (d) => ({ uri: text(d, 'logout.uri') || null }),
      save: save('logoutRedirectUri'),
    },
  ];
}

/**
 * Every setting the subject may read, grouped for the form. The tenant settings that
 * `/api/v1/security/settings` also serves (objects under `security.`) appear once, there.
 *
 * @example
 * ```ts
 * const groups = settingGroups(await api.settings.list(), await api.settings.security(), { settings: true, security: false })
 * ```
 */
export function settingGroups(
  tenant: readonly TenantSetting[],
  security: SecuritySettings | undefined,
  editable: { settings: boolean; security: boolean },
): SettingGroup[] {
  const groups = tenant.map((s) => tenantGroup(s, editable.settings)).filter((g): g is SettingGroup => !!g);
  return security ? [...groups, ...securityGroups(security, tenant, editable.security)] : groups;
}
