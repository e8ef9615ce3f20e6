import type { AccessKey } from '@tessera/client';
import { useState } from 'react';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { NameDialog } from '../components/NameDialog.js';
import { RegenerateSecretDialog, type Regenerated } from '../components/RegenerateSecretDialog.js';
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
      {keys === undefined ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : keys.length === 0 ? (
        <p>You have no access keys yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Created</th>
                <th scope="col">Last login</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.clientId}</code>
                  </td>
                  <td>{when(key.createdAt)}</td>
                  <td>{when(key.lastLogin)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      aria-label={`Regenerate secret of ${key.name}`}
                      onClick={() => setPending({ kind: 'regenerate', key })}
                    >
                      Regenerate secret
                    </button>
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Delete ${key.name}`}
                      onClick={() => setPending({ kind: 'delete', key })}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
