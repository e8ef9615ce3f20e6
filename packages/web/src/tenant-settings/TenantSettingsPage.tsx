import { TesseraApiError, type SecuritySettings, type TenantSetting } from '@tessera/client';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, readableError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { can, type PermissionMap } from '../permissions.js';
import { SettingInputError, settingGroups, type Drafts, type SettingGroup } from './setting-groups.js';
import { SettingGroupView } from './SettingGroupView.js';
import { withReadableRange } from './durations.js';
import './tenant-settings.css';

/**
 * The server's sentence for a refused value in the form's words: the `value:` prefix becomes the
 * setting's label, `body.idpAlias:` the label of the field behind it.
 */
function refusal(group: SettingGroup, err: unknown): string {
  if (err instanceof TesseraApiError && err.status === 400 && err.body?.message) {
    const at = /^body\.(\w+): (.*)$/.exec(err.body.message);
    const field = at && group.fields.find((f) => f.wire === at[1]);
    if (field) return `${group.label} — ${field.label}: ${at[2]}`;
    const message = err.body.message.replace(/^value: /, '');
    const duration =
      group.fields.length === 1 && group.fields[0]!.kind === 'duration' ? group.fields[0] : undefined;
    return `${group.label}: ${duration ? withReadableRange(message, duration.units) : message}`;
  }
  return `${group.label}: ${readableError(err)}`;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Settings & Tools → Tenant settings: `/v1/k8s/setting` and `/api/v1/security/settings`, each
 * with its label and description and a typed input (durations with units). Subjects who may update
 * (`settings`, `security-settings`) get inputs and Save; others read the values. Save sends only
 * what changed, one setting at a time, and shows each refusal under its setting and above the form.
 *
 * @example
 * ```tsx
 * <TenantSettingsPage perms={perms} />
 * ```
 */
export function TenantSettingsPage({ perms }: { perms: PermissionMap }) {
  const mayReadSecurity = can(perms, 'security-settings', 'read');
  const editable = useMemo(
    () => ({
      settings: can(perms, 'settings', 'update'),
      security: can(perms, 'security-settings', 'update'),
    }),
    [perms],
  );
  const [groups, setGroups] = useState<SettingGroup[]>();
  const [drafts, setDrafts] = useState<Drafts>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [loadError, setLoadError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);

  /** Fetches the settings; drafts of settings in `keep` (refused ones) stay as the user typed them. */
  const load = useCallback(
    async (keep: Drafts = {}) => {
      try {
        const [tenant, security] = await Promise.all([
          can(perms, 'settings', 'read') ? api.settings.list() : Promise.resolve<TenantSetting[]>([]),
          mayReadSecurity
            ? api.settings.security()
            : Promise.resolve<SecuritySettings | undefined>(undefined),
        ]);
        const next = settingGroups(tenant, security, editable);
        setGroups(next);
        setDrafts({ ...Object.assign({}, ...next.map((g) => g.drafts())), ...keep });
      } catch (err) {
        setLoadError(readableError(err));
      }
    },
    [perms, mayReadSecurity, editable],
  );
  useEffect(() => void load(), [load]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!groups) return;
    setBusy(true);
    setStatus(undefined);
    const refused: Record<string, string> = {};
    const keep: Drafts = {};
    let saved = 0;
    for (const group of groups.filter((g) => g.editable)) {
      try {
        const value = group.toValue(drafts);
        if (same(value, group.current)) continue;
        await group.save(value);
        saved++;
      } catch (err) {
        refused[group.id] = err instanceof SettingInputError ? err.message : refusal(group, err);
        for (const f of group.fields) keep[f.id] = drafts[f.id]!;
      }
    }
    // The reload replaces every draft: the refusals, the status and the inputs come back together,
    // and the inputs stay disabled until then, so nothing typed meanwhile is overwritten (a test
    // typed into the form between the refusal and the reload, and its value was lost).
    await load(keep);
    setErrors(refused);
    const failed = Object.keys(refused).length;
    setStatus(
      failed
        ? saved
          ? `${saved} setting${saved === 1 ? '' : 's'} saved.`
          : undefined
        : saved
          ? 'Settings saved.'
          : 'Nothing to save: no setting was changed.',
    );
    setBusy(false);
  };

  const sections = [...new Set(groups?.map((g) => g.section))];
  const mayEdit = groups?.some((g) => g.editable) ?? false;
  const failures = Object.values(errors);
  return (
    <>
      <h1>Tenant settings</h1>
      <p className="hint">
        Token lifetimes, password and lockout policy, and sign-in behaviour for everyone in this tenant.
        {!mayEdit && groups && ' You may read these settings but not change them.'}
      </p>
      <ErrorAlert message={loadError} />
      {!groups ? (
        !loadError && <p aria-busy="true">Loading…</p>
      ) : (
        <form className="settings-form" onSubmit={(e) => void save(e)} noValidate>
          {failures.length > 0 && (
            <div className="error" role="alert">
              <p>
                {failures.length === 1 ? 'One setting was' : `${failures.length} settings were`} not saved:
              </p>
              <ul>
                {failures.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </div>
          )}
          <fieldset className="settings-fields" disabled={busy}>
            {sections.map((section) => (
              <section key={section} className="settings-section" aria-label={section}>
                <h2>{section}</h2>
                {groups
                  .filter((g) => g.section === section)
                  .map((g) => (
                    <SettingGroupView
                      key={g.id}
                      group={g}
                      drafts={drafts}
                      error={errors[g.id]}
                      onChange={(id, value) => setDrafts((d) => ({ ...d, [id]: value }))}
                    />
                  ))}
              </section>
            ))}
          </fieldset>
          {mayEdit && (
            <div className="settings-actions">
              <button type="submit" className="primary" disabled={busy}>
                Save
              </button>
              <span role="status">{status}</span>
            </div>
          )}
        </form>
      )}
    </>
  );
}
