import type { ServiceAccount } from '@tessera/client';
import { useState } from 'react';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { CREDENTIAL_SUBJECT_COLUMNS, CredentialSubjectCells } from '../components/CredentialSubjectCells.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ListTable } from '../components/ListTable.js';
import { NameDialog } from '../components/NameDialog.js';
import { RegenerateSecretDialog, type Regenerated } from '../components/RegenerateSecretDialog.js';
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
      <ListTable
        items={accounts}
        error={error}
        empty="No service accounts yet."
        columns={[...CREDENTIAL_SUBJECT_COLUMNS, anyAction && 'Actions']}
        row={(sa) => (
          <tr key={sa.id}>
            <CredentialSubjectCells subject={sa} />
            {anyAction && (
              <RowActions
                actions={[
                  mayReadAccess && accessAction(sa.name, () => setPending({ kind: 'access', account: sa })),
                  mayUpdate &&
                    regenerateSecretAction(sa.name, () => setPending({ kind: 'regenerate', account: sa })),
                  mayUpdate &&
                    enabledToggleAction(
                      sa,
                      () => void act(() => api.serviceAccounts.setEnabled(sa.id, !sa.enabled)),
                    ),
                  mayDelete && deleteAction(sa.name, () => setPending({ kind: 'delete', account: sa })),
                ]}
              />
            )}
          </tr>
        )}
      />
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
