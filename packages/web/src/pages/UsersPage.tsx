import { useState } from 'react';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { CopyField } from '../components/CopyField.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { FormDialog } from '../components/FormDialog.js';
import { deleteAction, RowActions } from '../components/RowActions.js';
import { Table } from '../components/Table.js';
import { when } from '../format.js';
import { can, type PermissionMap } from '../permissions.js';
import { useList } from '../useList.js';
import { useSubmission } from '../useSubmission.js';

/** `GET /api/v1/users` items (Run:ai's shape). */
interface User {
  id: string;
  username: string;
  createdAt: string | null;
  lastLogin: string | null;
  createdBy: string;
}

type Pending = { kind: 'reset' | 'delete'; user: User } | undefined;

const listUsers = () => api.request<User[]>('GET', '/api/v1/users?limit=500');

/**
 * Settings & Tools → Users: list, create (the temporary password is shown once), reset password
 * (confirmed; shown once), delete (confirmed).
 *
 * @example
 * ```tsx
 * <UsersPage perms={perms} />
 * ```
 */
export function UsersPage({ perms }: { perms: PermissionMap }) {
  const { items: users, error, reload } = useList(listUsers);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ email: string; password: string }>();
  const [pending, setPending] = useState<Pending>();
  const mayCreate = can(perms, 'users', 'create');
  const mayUpdate = can(perms, 'users', 'update');
  const mayDelete = can(perms, 'users', 'delete');
  const anyAction = mayUpdate || mayDelete;
  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
        {mayCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New user
          </button>
        )}
      </div>
      <ErrorAlert message={error} />
      {users && (
        <Table columns={['Email', 'Created', 'Created by', 'Last login', anyAction && 'Actions']}>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.username}</th>
              <td>{when(u.createdAt)}</td>
              <td>{u.createdBy}</td>
              <td>{when(u.lastLogin)}</td>
              {anyAction && (
                <RowActions
                  actions={[
                    mayUpdate && {
                      label: 'Reset password',
                      ariaLabel: `Reset password of ${u.username}`,
                      onClick: () => setPending({ kind: 'reset', user: u }),
                    },
                    mayDelete && deleteAction(u.username, () => setPending({ kind: 'delete', user: u })),
                  ]}
                />
              )}
            </tr>
          ))}
        </Table>
      )}
      {creating && (
        <NewUserDialog
          onClose={() => setCreating(false)}
          onCreated={(email, password) => {
            setCreating(false);
            setShown({ email, password });
            void reload();
          }}
        />
      )}
      {shown && (
        <Dialog title={`Temporary password of ${shown.email}`} onClose={() => setShown(undefined)}>
          <p className="warning">
            <strong>Give this password to the user now.</strong> It is shown only once; they must choose a new
            one when they first sign in.
          </p>
          <CopyField label="Temporary password" value={shown.password} />
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={() => setShown(undefined)}>
              Done
            </button>
          </div>
        </Dialog>
      )}
      {pending?.kind === 'reset' && (
        <ConfirmDialog
          title={`Reset the password of ${pending.user.username}?`}
          confirmLabel="Reset password"
          onCancel={() => setPending(undefined)}
          onConfirm={async () => {
            const { tempPassword } = await api.request<{ tempPassword: string }>(
              'POST',
              `/api/v1/users/${encodeURIComponent(pending.user.id)}/password`,
            );
            setPending(undefined);
            setShown({ email: pending.user.username, password: tempPassword });
          }}
        >
          Their current password and sessions stop working at once; you get a temporary password to give them.
        </ConfirmDialog>
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${pending.user.username}?`}
          confirmLabel="Delete"
          danger
          onCancel={() => setPending(undefined)}
          onConfirm={async () => {
            await api.request('DELETE', `/api/v1/users/${encodeURIComponent(pending.user.id)}`);
            setPending(undefined);
            void reload();
          }}
        >
          They can no longer sign in, and their tokens stop working at once.
        </ConfirmDialog>
      )}
    </>
  );
}

function NewUserDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (e: string, p: string) => void;
}) {
  const [email, setEmail] = useState('');
  const { error, setError, busy, submit } = useSubmission();
  const onSubmit = () => {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email.trim()))
      return setError('Email: enter an email address.');
    void submit(async () => {
      const created = await api.request<{ username: string; tempPassword: string }>('POST', '/api/v1/users', {
        email: email.trim(),
      });
      onCreated(created.username, created.tempPassword);
    });
  };
  return (
    <FormDialog
      title="New user"
      submitLabel="Create"
      error={error}
      busy={busy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <label className="field">
        Email
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
      </label>
    </FormDialog>
  );
}
