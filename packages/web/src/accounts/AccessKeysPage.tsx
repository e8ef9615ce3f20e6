import type { AccessKey } from '@tessera/client';
import { useState } from 'react';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ListTable } from '../components/ListTable.js';
import { NameDialog } from '../components/NameDialog.js';
import { RegenerateSecretDialog, type Regenerated } from '../components/RegenerateSecretDialog.js';
import { deleteAction, regenerateSecretAction, RowActions } from '../components/RowActions.js';
import { SecretDialog } from '../components/SecretDialog.js';
import { when } from '../format.js';
import { useList } from '../useList.js';

type Pending = { kind: 'regenerate' | 'delete'; key: AccessKey } | undefined;
type Shown = Regenerated & { name: string; clientId: string };

/**
 * Settings & Tools → Access keys: the signed-in user's own keys (the API lists no one else's):
 * create (the secret shown once), regenerate (confirmed, optionally overlapping), delete (confirmed).
 * Every user manages their own keys, whatever their roles: a key acts with its user's permissions
 * and no more, like a personal access token, so it grants nothing new.
 *
 * @example
 * ```tsx
 * <AccessKeysPage />
 * ```
 */
export function AccessKeysPage() {
  const { items: keys, error, reload } = useList(async () => (await api.accessKeys.list()).accessKeys);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Shown>();
  const [pending, setPending] = useState<Pending>();

  return (
    <>
      <div className="page-head">
        <h1>Access keys</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New access key
        </button>
      </div>
      <p className="hint">
        Your personal keys for scripts: a token obtained with one (<code>grantType: client_credentials</code>{' '}
        at <code>POST /api/v1/token</code>) acts with your permissions, and stops working with the key.
      </p>
      <ErrorAlert message={error} />
      <ListTable
        items={keys}
        error={error}
        empty="You have no access keys yet."
        columns={['Name', 'Client ID', 'Created', 'Last login', 'Actions']}
        row={(key) => (
          <tr key={key.id}>
            <th scope="row">{key.name}</th>
            <td>
              <code>{key.clientId}</code>
            </td>
            <td>{when(key.createdAt)}</td>
            <td>{when(key.lastLogin)}</td>
            <RowActions
              actions={[
                regenerateSecretAction(key.name, () => setPending({ kind: 'regenerate', key })),
                deleteAction(key.name, () => setPending({ kind: 'delete', key })),
              ]}
            />
          </tr>
        )}
      />
      {creating && (
        <NameDialog
          title="New access key"
          onClose={() => setCreating(false)}
          onCreate={async (name) => {
            const created = await api.accessKeys.create(name);
            setCreating(false);
            setShown({ name: created.name, clientId: created.clientId, secret: created.clientSecret });
            void reload();
          }}
        />
      )}
      {shown && (
        <SecretDialog
          owner={{ name: shown.name, idLabel: 'Client ID', idValue: shown.clientId }}
          secret={shown.secret}
          expiresAt={shown.expiresAt}
          onClose={() => setShown(undefined)}
        />
      )}
      {pending?.kind === 'regenerate' && (
        <RegenerateSecretDialog
          name={pending.key.name}
          onCancel={() => setPending(undefined)}
          onRegenerate={(options) => api.accessKeys.regenerateSecret(pending.key.id, options)}
          onDone={(result) => {
            setPending(undefined);
            setShown({ ...result, name: pending.key.name, clientId: pending.key.clientId });
          }}
        />
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${pending.key.name}?`}
          confirmLabel="Delete"
          danger
          onCancel={() => setPending(undefined)}
          onConfirm={async () => {
            await api.accessKeys.delete(pending.key.id);
            setPending(undefined);
            void reload();
          }}
        >
          Its secret key and every token obtained with it stop working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
