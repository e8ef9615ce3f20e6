import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, readableError } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { CopyField } from '../components/CopyField.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { can, type PermissionMap } from '../permissions.js';

/** `GET /api/v1/users` items (Run:ai's shape). */
interface User {
  id: string;
  username: string;
  createdAt: string | null;
  lastLogin: string | null;
  createdBy: string;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
type Pending = { kind: 'reset' | 'delete'; user: User } | undefined;

/**
 * Settings & Tools → Users: list, create (the temporary password is shown once), reset password
 * (confirmed; shown once), delete (confirmed).
 */
export function UsersPage({ perms }: { perms: PermissionMap }) {
  const [users, setUsers] = useState<User[]>();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ email: string; password: string }>();
  const [pending, setPending] = useState<Pending>();
  const reload = useCallback(async () => {
    try {
      setUsers(await api.request<User[]>('GET', '/api/v1/users?limit=500'));
    } catch (err) {
      setError(readableError(err));
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  const mayCreate = can(perms, 'users', 'create');
  const mayUpdate = can(perms, 'users', 'update');
  const mayDelete = can(perms, 'users', 'delete');
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
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Created</th>
                <th scope="col">Created by</th>
                <th scope="col">Last login</th>
                {(mayUpdate || mayDelete) && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.username}</th>
                  <td>{when(u.createdAt)}</td>
                  <td>{u.createdBy}</td>
                  <td>{when(u.lastLogin)}</td>
                  {(mayUpdate || mayDelete) && (
                    <td className="actions">
                      {mayUpdate && (
                        <button
                          type="button"
                          aria-label={`Reset password of ${u.username}`}
                          onClick={() => setPending({ kind: 'reset', user: u })}
                        >
                          Reset password
                        </button>
                      )}
                      {mayDelete && (
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Delete ${u.username}`}
                          onClick={() => setPending({ kind: 'delete', user: u })}
                        >
                          Delete
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email.trim()))
      return setError('Email: enter an email address.');
    try {
      const created = await api.request<{ username: string; tempPassword: string }>('POST', '/api/v1/users', {
        email: email.trim(),
      });
      onCreated(created.username, created.tempPassword);
    } catch (err) {
      setError(readableError(err));
    }
  };
  return (
    <Dialog title="New user" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </label>
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
