import type { Application } from '@tessera/client';
import { useState } from 'react';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { CREDENTIAL_SUBJECT_COLUMNS, CredentialSubjectCells } from '../components/CredentialSubjectCells.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ListTable } from '../components/ListTable.js';
import {
  accessAction,
  deleteAction,
  enabledToggleAction,
  regenerateSecretAction,
  RowActions,
} from '../components/RowActions.js';
import { SecretDialog } from '../components/SecretDialog.js';
import { SubjectAccessDialog } from '../components/SubjectAccessDialog.js';
import { can, type PermissionMap } from '../permissions.js';
import { useList } from '../useList.js';
import { CreateApplicationDialog } from './CreateApplicationDialog.js';

type Pending = { kind: 'regenerate' | 'delete'; app: Application } | undefined;

/**
 * Settings & Tools → Applications: list, create (name, roles, projects), the secret shown once,
 * regenerate (confirmed), enable/disable, delete (confirmed). Buttons follow the permissions.
 *
 * @example
 * ```tsx
 * <ApplicationsPage perms={perms} />
 * ```
 */
export function ApplicationsPage({ perms }: { perms: PermissionMap }) {
  const { items: apps, error, act, reload } = useList(() => api.apps.list());
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | undefined>();
  const [pending, setPending] = useState<Pending>();
  const [access, setAccess] = useState<Application>();
  const mayCreate = can(perms, 'apps', 'create');
  const mayUpdate = can(perms, 'apps', 'update');
  const mayDelete = can(perms, 'apps', 'delete');
  const mayReadAccess = can(perms, 'access_rules', 'read');
  const anyAction = mayUpdate || mayDelete || mayReadAccess;

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
      <ListTable
        items={apps}
        error={error}
        empty="No applications yet."
        columns={[...CREDENTIAL_SUBJECT_COLUMNS, anyAction && 'Actions']}
        row={(app) => (
          <tr key={app.id}>
            <CredentialSubjectCells subject={app} />
            {anyAction && (
              <RowActions
                actions={[
                  mayReadAccess && accessAction(app.name, () => setAccess(app)),
                  mayUpdate &&
                    regenerateSecretAction(app.name, () => setPending({ kind: 'regenerate', app })),
                  mayUpdate &&
                    enabledToggleAction(app, () => void act(() => api.apps.setEnabled(app.id, !app.enabled))),
                  mayDelete && deleteAction(app.name, () => setPending({ kind: 'delete', app })),
                ]}
              />
            )}
          </tr>
        )}
      />
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
