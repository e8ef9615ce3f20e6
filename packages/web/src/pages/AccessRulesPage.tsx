import type { AccessRule, Role, ScopeType, SubjectType } from '@tessera/client';
import { useEffect, useState } from 'react';
import { api, readableError } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { FormDialog } from '../components/FormDialog.js';
import { RowActions } from '../components/RowActions.js';
import { Table } from '../components/Table.js';
import { can, type PermissionMap } from '../permissions.js';
import { useList } from '../useList.js';
import { useSubmission } from '../useSubmission.js';

const SUBJECT_TYPES: SubjectType[] = ['user', 'app', 'service-account', 'group'];
const SCOPE_TYPES: ScopeType[] = ['tenant', 'cluster', 'department', 'project'];

const listRules = async () => (await api.accessRules.list({ limit: 500 })).accessRules;

/**
 * Settings & Tools → Access rules: who has which role where; add (subject, role, scope) and remove.
 *
 * @example
 * ```tsx
 * <AccessRulesPage perms={perms} />
 * ```
 */
export function AccessRulesPage({ perms }: { perms: PermissionMap }) {
  const { items: rules, error, reload } = useList(listRules);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<AccessRule>();
  const mayCreate = can(perms, 'access_rules', 'create');
  const mayDelete = can(perms, 'access_rules', 'delete');
  return (
    <>
      <div className="page-head">
        <h1>Access rules</h1>
        {mayCreate && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            New access rule
          </button>
        )}
      </div>
      <ErrorAlert message={error} />
      {rules && (
        <Table columns={['Subject', 'Type', 'Role', 'Scope', 'Created by', mayDelete && 'Actions']}>
          {rules.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <code>{r.subjectId}</code>
              </th>
              <td>{r.subjectType}</td>
              <td>{r.roleName}</td>
              <td>
                {r.scopeType}: {r.scopeName}
              </td>
              <td>{r.createdBy}</td>
              {mayDelete && (
                <RowActions
                  actions={[
                    {
                      label: 'Remove',
                      // Names the rule: rows of one subject differ only in role and scope.
                      ariaLabel: `Remove ${r.roleName} of ${r.subjectId} on ${r.scopeType} ${r.scopeName}`,
                      danger: true,
                      onClick: () => setRemoving(r),
                    },
                  ]}
                />
              )}
            </tr>
          ))}
        </Table>
      )}
      {adding && (
        <NewRuleDialog
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            void reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title="Remove this access rule?"
          confirmLabel="Remove"
          danger
          onCancel={() => setRemoving(undefined)}
          onConfirm={async () => {
            await api.accessRules.delete(removing.id);
            setRemoving(undefined);
            void reload();
          }}
        >
          {removing.subjectType} {removing.subjectId} loses the role {removing.roleName} on{' '}
          {removing.scopeType} {removing.scopeName} at once.
        </ConfirmDialog>
      )}
    </>
  );
}

function NewRuleDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [roles, setRoles] = useState<Role[]>([]);
  const [subjectType, setSubjectType] = useState<SubjectType>('user');
  const [subjectId, setSubjectId] = useState('');
  const [roleId, setRoleId] = useState<number>();
  const [scopeType, setScopeType] = useState<ScopeType>('tenant');
  const [scopeId, setScopeId] = useState('1');
  const { error, setError, busy, submit } = useSubmission();
  useEffect(() => {
    api.roles.list().then(
      (list) => {
        setRoles(list);
        setRoleId(list[0]?.id);
      },
      (err: unknown) => setError(readableError(err)),
    );
  }, []);
  const onSubmit = () => {
    if (!subjectId.trim()) return setError('Subject: enter a user email, application id or group name.');
    if (roleId === undefined) return setError('Role: choose a role.');
    void submit(async () => {
      await api.accessRules.create({
        subjectType,
        subjectId: subjectId.trim(),
        roleId,
        scopeType,
        scopeId: scopeId.trim(),
      });
      onDone();
    });
  };
  return (
    <FormDialog
      title="New access rule"
      submitLabel="Create"
      error={error}
      busy={busy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <label className="field">
        Subject type
        <select value={subjectType} onChange={(e) => setSubjectType(e.target.value as SubjectType)}>
          {SUBJECT_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label className="field">
        Subject
        <input value={subjectId} onChange={(e) => setSubjectId(e.target.value)} />
      </label>
      <label className="field">
        Role
        <select value={roleId ?? ''} onChange={(e) => setRoleId(Number(e.target.value))}>
          {roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Scope type
        <select value={scopeType} onChange={(e) => setScopeType(e.target.value as ScopeType)}>
          {SCOPE_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label className="field">
        Scope id
        <input value={scopeId} onChange={(e) => setScopeId(e.target.value)} />
      </label>
    </FormDialog>
  );
}
