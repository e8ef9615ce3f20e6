import type { Application } from '@tessera/client';
import { useCallback, useEffect, useState } from 'react';
import { api, readableError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { can, type PermissionMap } from '../permissions.js';
import { SecretDialog } from '../components/SecretDialog.js';
import { SubjectAccessDialog } from '../components/SubjectAccessDialog.js';
import { when } from '../format.js';
import { CreateApplicationDialog } from './CreateApplicationDialog.js';

type Pending = { kind: 'regenerate' | 'delete'; app: Application } | undefined;

/**
 * Settings & Tools → Applications: list, create (name, roles, projects), the secret shown once,
 * regenerate (confirmed), enable/disable, delete (confirmed). Buttons follow the permissions.
 */
export function ApplicationsPage({ perms }: { perms: PermissionMap }) {
  const [apps, setApps] = useState<Application[] | undefined>();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | undefined>();
  const [pending, setPending] = useState<Pending>();
  const mayCreate = can(perms, 'apps', 'create');
  const mayUpdate = can(perms, 'apps', 'update');
  const mayDelete = can(perms, 'apps', 'delete');
  const mayReadAccess = can(perms, 'access_rules', 'read');
  const [access, setAccess] = useState<Application>();

  const reload = useCallback(async () => {
    try {
      setApps(await api.apps.list());
    } catch (err) {
      setError(readableError(err));
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(readableError(err));
    }
    await reload();
  };

  return (
    <>
      <div className="page-head">
        <h1>Applications</h1>
        {mayCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New application
          </button>
        )}
      </div>
      <p className="hint">
        Applications are credentials for scripts: trade the name and secret key for a token at{' '}
        <code>POST /api/v1/token</code>.
      </p>
      <ErrorAlert message={error} />
      {apps === undefined ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : apps.length === 0 ? (
        <p>No applications yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Enabled</th>
                <th scope="col">Created</th>
                <th scope="col">Last login</th>
                {(mayUpdate || mayDelete || mayReadAccess) && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {apps.map((app) => (
                <tr key={app.id}>
                  <th scope="row">{app.name}</th>
                  <td>
                    <code>{app.clientId}</code>
                  </td>
                  <td>{app.enabled ? 'Yes' : 'No'}</td>
                  <td>{when(app.createdAt)}</td>
                  <td>{when(app.lastLogin)}</td>
                  {(mayUpdate || mayDelete || mayReadAccess) && (
                    <td className="actions">
                      {mayReadAccess && (
                        <button
                          type="button"
                          aria-label={`Roles and projects of ${app.name}`}
                          onClick={() => setAccess(app)}
                        >
                          Roles &amp; projects
                        </button>
                      )}
                      {mayUpdate && (
                        <>
                          <button
                            type="button"
                            aria-label={`Regenerate secret of ${app.name}`}
                            onClick={() => setPending({ kind: 'regenerate', app })}
                          >
                            Regenerate secret
                          </button>
                          <button
                            type="button"
                            aria-label={`${app.enabled ? 'Disable' : 'Enable'} ${app.name}`}
                            onClick={() => void act(() => api.apps.setEnabled(app.id, !app.enabled))}
                          >
                            {app.enabled ? 'Disable' : 'Enable'}
                          </button>
                        </>
                      )}
                      {mayDelete && (
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Delete ${app.name}`}
                          onClick={() => setPending({ kind: 'delete', app })}
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
        <CreateApplicationDialog
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setSecret({ name: created.name, secret: created.secret });
            void reload();
          }}
        />
      )}
      {access && (
        <SubjectAccessDialog
          subject={{ type: 'app', id: access.id, name: access.name, tenantId: access.tenantId }}
          perms={perms}
          onClose={() => setAccess(undefined)}
        />
      )}
      {secret && (
        <SecretDialog
          owner={{
            name: secret.name,
            idLabel: 'Application name',
            idValue: secret.name,
            idButton: 'Copy name',
          }}
          secret={secret.secret}
          onClose={() => setSecret(undefined)}
        />
      )}
      {pending?.kind === 'regenerate' && (
        <ConfirmDialog
          title={`Regenerate the secret of ${pending.app.name}?`}
          confirmLabel="Regenerate"
          onCancel={() => setPending(undefined)}
          onConfirm={async () => {
            const { secret: fresh } = await api.apps.regenerateSecret(pending.app.id);
            setPending(undefined);
            setSecret({ name: pending.app.name, secret: fresh });
            void reload();
          }}
        >
          The current secret key and every token obtained with it stop working at once. Scripts using it need
          the new secret key.
        </ConfirmDialog>
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${pending.app.name}?`}
          confirmLabel="Delete"
          danger
          onCancel={() => setPending(undefined)}
          onConfirm={async () => {
            await api.apps.delete(pending.app.id);
            setPending(undefined);
            void reload();
          }}
        >
          Its secret key, its tokens and its access rules stop working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
