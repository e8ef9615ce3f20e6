import type { Cluster, Department } from '@tessera/client';
import { useEffect, useState, type FormEvent } from 'react';
import { api, readableError } from '../api.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useSubmission } from '../useSubmission.js';
import { ORG_UNIT_NAME, type OrgUnit } from './org-unit.js';

/** The clusters to choose from, or why there are none to choose. */
export type ClusterChoice =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; clusters: Cluster[] };

/**
 * New department (in a chosen cluster) or new project (under `parent`, in the parent's cluster — the
 * server requires a project to share its department's cluster). Without any cluster it says so and
 * offers nothing to submit.
 *
 * @example
 * ```tsx
 * <CreateOrgUnitDialog clusters={choice} onClose={close} onCreated={reload} />
 * <CreateOrgUnitDialog parent={department} clusters={choice} onClose={close} onCreated={reload} />
 * ```
 */
export function CreateOrgUnitDialog({
  parent,
  clusters,
  onClose,
  onCreated,
}: {
  parent?: Department;
  clusters: ClusterChoice;
  onClose: () => void;
  onCreated: (unit: OrgUnit) => void;
}) {
  const list = clusters.kind === 'ready' ? clusters.clusters : [];
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [clusterId, setClusterId] = useState(parent?.clusterId ?? (list.length === 1 ? list[0]!.uuid : ''));
  const { error, setError, busy, submit } = useSubmission();
  const noCluster = !parent && clusters.kind === 'ready' && list.length === 0;
  // The clusters may arrive after the dialog opened: a single cluster is the obvious choice.
  const only = list.length === 1 ? list[0]!.uuid : undefined;
  useEffect(() => {
    if (only) setClusterId((current) => current || only);
  }, [only]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!ORG_UNIT_NAME.test(name) || name.length > 63)
      return setError(
        'Name: use 1 to 63 lowercase letters, digits or "-", starting and ending with a letter or digit.',
      );
    if (!clusterId) return setError('Cluster: choose the cluster it belongs to.');
    const body = { name, clusterId, ...(description.trim() ? { description: description.trim() } : {}) };
    void submit(async () =>
      onCreated(
        parent
          ? await api.projects.create({ ...body, parentId: parent.id, resources: [] })
          : await api.departments.create(body),
      ),
    );
  };

  const clusterName = (uuid: string) => list.find((c) => c.uuid === uuid)?.name ?? uuid;
  return (
    <Dialog title={parent ? `New project in ${parent.name}` : 'New department'} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        {noCluster ? (
          <p className="warning" role="alert">
            There is no cluster yet. A department belongs to a cluster: add one under Settings &amp; Tools →
            Clusters (or with <code>POST /api/v1/clusters</code>) first.
          </p>
        ) : (
          <>
            <label className="field">
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" />
            </label>
            {parent ? (
              <p className="hint">
                Cluster: {clusterName(parent.clusterId)} (the cluster of department {parent.name})
              </p>
            ) : clusters.kind === 'ready' ? (
              <label className="field">
                Cluster
                <select value={clusterId} onChange={(e) => setClusterId(e.target.value)}>
                  {list.length !== 1 && <option value="">Choose a cluster</option>}
                  {list.map((c) => (
                    <option key={c.uuid} value={c.uuid}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : clusters.kind === 'loading' ? (
              <p aria-busy="true">Loading clusters…</p>
            ) : (
              <ErrorAlert message={`The clusters could not be listed. ${clusters.message}`} />
            )}
            <label className="field">
              Description
              <input value={description} maxLength={1024} onChange={(e) => setDescription(e.target.value)} />
            </label>
          </>
        )}
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {noCluster ? 'Close' : 'Cancel'}
          </button>
          {!noCluster && (
            <button type="submit" className="primary" disabled={busy || clusters.kind === 'error'}>
              Create
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Loads the tenant's clusters for the pickers.
 *
 * @example
 * ```ts
 * setClusters(await loadClusters())
 * ```
 */
export async function loadClusters(): Promise<ClusterChoice> {
  try {
    return { kind: 'ready', clusters: await api.clusters.list() };
  } catch (err) {
    return { kind: 'error', message: readableError(err) };
  }
}
