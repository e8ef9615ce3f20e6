import type { ServiceAccount } from '@tessera/client';
import { useState } from 'react';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { NameDialog } from '../components/NameDialog.js';
import { RegenerateSecretDialog, type Regenerated } from '../components/RegenerateSecretDialog.js';
import { SecretDialog } from '../components/SecretDialog.js';
import { SubjectAccessDialog } from '../components/SubjectAccessDialog.js';
import { when } from '../format.js';
import { can, type PermissionMap } from '../permissions.js';
import { useList } from '../useList.js';

type Pending = { kind: 'regenerate' | 'delete' | 'access'; account: ServiceAccount } | undefined;
type Shown = Regenerated & { name: string; clientId: string };

/**
 * Settings & Tools → Service accounts: list, create (the secret shown once), regenerate with an
 * optional overlap of the two secrets, enable/disable, delete, and roles. Buttons follow the permissions.
 *
 * @example
 * ```tsx
 * <ServiceAccountsPage perms={perms} />
 * ```
 */
export function ServiceAccountsPage({ perms }: { perms: PermissionMap }) {
  const { items: accounts, error, act, reload } = useList(() => api.serviceAccounts.list());
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Shown>();
  const [pending, setPending] = useState<Pending>();
  const mayCreate = can(perms, 'service-account', 'create');
  const mayUpdate = can(perms, 'service-account', 'update');
  const mayDelete = can(perms, 'service-account', 'delete');
  const mayReadAccess = can(perms, 'access_rules', 'read');
  const anyAction = mayUpdate || mayDelete || mayReadAccess;

  return (
    <>
      <div className="page-head">
        <h1>Service accounts</h1>
        {mayCreate && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New service account
          </button>
        )}
      </div>
      <p className="hint">
        Service accounts are machine identities: trade the client ID and secret key for a token at{' '}
        <code>POST /api/v1/token</code> with <code>grantType: client_credentials</code>.
      </p>
      <ErrorAlert message={error} />
      {accounts === undefined ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : accounts.length === 0 ? (
        <p>No service accounts yet.</p>
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
                {anyAction && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {accounts.map((sa) => (
                <tr key={sa.id}>
                  <th scope="row">{sa.name}</th>
                  <td>
                    <code>{sa.clientId}</code>
                  </td>
                  <td>{sa.enabled ? 'Yes' : 'No'}</td>
                  <td>{when(sa.createdAt)}</td>
                  <td>{when(sa.lastLogin)}</td>
                  {anyAction && (
                    <td className="actions">
                      {mayReadAccess && (
                        <button
                          type="button"
                          aria-label={`Roles and projects of ${sa.name}`}
                          onClick={() => setPending({ kind: 'access', account: sa })}
                        >
                          Roles &amp; projects
                        </button>
                      )}
                      {mayUpdate && (
                        <>
                          <button
                            type="button"
                            aria-label={`Regenerate secret of ${sa.name}`}
                            onClick={() => setPending({ kind: 'regenerate', account: sa })}
                          >
                            Regenerate secret
                          </button>
                          <button
                            type="button"
                            aria-label={`${sa.enabled ? 'Disable' : 'Enable'} ${sa.name}`}
                            onClick={() => void act(() => api.serviceAccounts.setEnabled(sa.id, !sa.enabled))}
                          >
                            {sa.enabled ? 'Disable' : 'Enable'}
                          </button>
                        </>
                      )}
                      {mayDelete && (
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Delete ${sa.name}`}
                          onClick={() => setPending({ kind: 'delete', account: sa })}
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
        <NameDialog
          title="New service account"
          onClose={() => setCreating(false)}
          onCreate={async (name) => {
            const created = await api.serviceAccounts.create(name);
            setCreating(false);
            setShown({ name: created.name, clientId: created.clientId, secret: created.clientSecret });
            void reload();
          }}
        >
          <p className="hint">Give it roles afterwards with Roles &amp; projects.</p>
        </NameDialog>
      )}
      {shown && (
        <SecretDialog
          owner={{ name: shown.name, idLabel: 'Client ID', idValue: shown.clientId }}
          secret={shown.secret}
          expiresAt={shown.expiresAt}
          onClose={() => setShown(undefined)}
        />
      )}
      {pending?.kind === 'access' && (
        <SubjectAccessDialog
          subject={{
            type: 'service-account',
            id: pending.account.id,
            name: pending.account.name,
            tenantId: pending.account.tenantId,
          }}
          perms={perms}
          onClose={() => setPending(undefined)}
        />
      )}
      {pending?.kind === 'regenerate' && (
        <RegenerateSecretDialog
          name={pending.account.name}
          onCancel={() => setPending(undefined)}
          onRegenerate={(options) => api.serviceAccounts.regenerateSecret(pending.account.id, options)}
          onDone={(result) => {
            setPending(undefined);
            setShown({ ...result, name: pending.account.name, clientId: pending.account.clientId });
            void reload();
          }}
        />
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${pending.account.name}?`}
          confirmLabel="Delete"
          danger
          onCancel={() => setPending(undefined)}
          onConfirm={async () => {
            await api.serviceAccounts.delete(pending.account.id);
            setPending(undefined);
            void reload();
          }}
        >
          Its secret keys, its tokens and its access rules stop working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
