import type { Cluster } from '@tessera/client';
import { useState } from 'react';
import { api } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ListTable } from '../components/ListTable.js';
import { deleteAction, RowActions } from '../components/RowActions.js';
import { when } from '../format.js';
import { can, type PermissionMap } from '../permissions.js';
import { useList } from '../useList.js';
import { ClusterDialog } from './ClusterDialog.js';
import { InstallInfoDialog } from './InstallInfoDialog.js';

type Pending = { kind: 'edit' | 'delete' | 'install'; cluster: Cluster } | { kind: 'create' } | undefined;

/** The API's status states in words. */
const STATES: Record<string, string> = {
  WaitingToConnect: 'Waiting to connect',
  Connected: 'Connected',
  Disconnected: 'Disconnected',
};

/**
 * Settings & Tools → Clusters: list (name, URL, status, version, created), create, edit, delete
 * (confirmed), and the install info to copy. Buttons follow the permissions.
 *
 * @example
 * ```tsx
 * <ClustersPage perms={perms} />
 * ```
 */
export function ClustersPage({ perms }: { perms: PermissionMap }) {
  const { items: clusters, error, reload } = useList(() => api.clusters.list());
  const [pending, setPending] = useState<Pending>();
  const mayCreate = can(perms, 'cluster', 'create');
  // The install info carries the cluster's secret, so the API shows it only to those who may update.
  const mayUpdate = can(perms, 'cluster', 'update');
  const mayDelete = can(perms, 'cluster', 'delete');
  const anyAction = mayUpdate || mayDelete;
  const close = () => setPending(undefined);

  return (
    <>
      <div className="page-head">
        <h1>Clusters</h1>
        {mayCreate && (
          <button type="button" className="primary" onClick={() => setPending({ kind: 'create' })}>
            New cluster
          </button>
        )}
      </div>
      <p className="hint">
        Each cluster runs a Cluster API at its URL; its install info holds what that needs to connect.
      </p>
      <ErrorAlert message={error} />
      <ListTable
        items={clusters}
        error={error}
        empty="No clusters yet."
        columns={['Name', 'URL', 'Status', 'Version', 'Created', anyAction && 'Actions']}
        row={(c) => (
          <tr key={c.uuid}>
            <th scope="row">{c.name}</th>
            <td>{c.domain ? <code>{c.domain}</code> : '—'}</td>
            <td>{STATES[c.status.state] ?? c.status.state}</td>
            <td>{c.version ?? '—'}</td>
            <td>{when(c.createdAt)}</td>
            {anyAction && (
              <RowActions
                actions={[
                  mayUpdate && {
                    label: 'Install info',
                    ariaLabel: `Install info of ${c.name}`,
                    onClick: () => setPending({ kind: 'install', cluster: c }),
                  },
                  mayUpdate && {
                    label: 'Edit',
                    ariaLabel: `Edit ${c.name}`,
                    onClick: () => setPending({ kind: 'edit', cluster: c }),
                  },
                  mayDelete && deleteAction(c.name, () => setPending({ kind: 'delete', cluster: c })),
                ]}
              />
            )}
          </tr>
        )}
      />
      {pending?.kind === 'create' && (
        <ClusterDialog
          onClose={close}
          onSave={async (fields) => {
            const created = await api.clusters.create(fields);
            // The next step after creating a cluster is installing it: show what that needs.
            setPending(mayUpdate ? { kind: 'install', cluster: created } : undefined);
            void reload();
          }}
        />
      )}
      {pending?.kind === 'edit' && (
        <ClusterDialog
          cluster={pending.cluster}
          onClose={close}
          onSave={async (fields) => {
            await api.clusters.update(pending.cluster.uuid, fields);
            close();
            void reload();
          }}
        />
      )}
      {pending?.kind === 'install' && <InstallInfoDialog cluster={pending.cluster} onClose={close} />}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${pending.cluster.name}?`}
          confirmLabel="Delete"
          danger
          onCancel={close}
          onConfirm={async () => {
            await api.clusters.delete(pending.cluster.uuid);
            close();
            void reload();
          }}
        >
          Its Cluster API can no longer connect, and access rules on this cluster are removed. A cluster that
          still has departments cannot be deleted.
        </ConfirmDialog>
      )}
    </>
  );
}
