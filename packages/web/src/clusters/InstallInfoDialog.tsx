import type { Cluster, ClusterInstallInfo } from '@tessera/client';
import { useEffect, useState } from 'react';
import { api, readableError } from '../api.js';
import { CopyField } from '../components/CopyField.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

/** Labels for the fields of `GET /api/v1/clusters/{uuid}/cluster-install-info`, in display order. */
const LABELS: Record<string, string> = {
  installationStr: 'Installation command',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  issuer: 'Issuer',
  jwksUrl: 'JWKS URL',
  chartRepoURL: 'Chart repository URL',
  repositoryName: 'Repository name',
};

/**
 * Install info of a cluster: each value the API returns, read-only with a Copy button. Fields the
 * UI has no label for are still shown, under their API name; nothing is made up.
 *
 * @example
 * ```tsx
 * <InstallInfoDialog cluster={cluster} onClose={close} />
 * ```
 */
export function InstallInfoDialog({ cluster, onClose }: { cluster: Cluster; onClose: () => void }) {
  const [info, setInfo] = useState<ClusterInstallInfo>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.clusters.installInfo(cluster.uuid).then(setInfo, (err: unknown) => setError(readableError(err)));
  }, [cluster.uuid]);
  const entries = info
    ? Object.entries(info as unknown as Record<string, unknown>)
        .filter((e): e is [string, string] => typeof e[1] === 'string')
        .sort(([a], [b]) => order(a) - order(b))
    : [];
  return (
    <Dialog title={`Install info of ${cluster.name}`} onClose={onClose}>
      <ErrorAlert message={error} />
      {!info && !error && <p aria-busy="true">Loading…</p>}
      {info && (
        <>
          <p className="warning">
            <strong>This contains the cluster&apos;s secret.</strong> Use it to install the cluster&apos;s
            Cluster API and keep it like a password.
          </p>
          {entries.map(([key, value]) => (
            <CopyField
              key={key}
              label={LABELS[key] ?? key}
              value={value}
              buttonName={`Copy ${LABELS[key] ?? key}`}
              multiline={key === 'installationStr'}
            />
          ))}
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

function order(key: string): number {
  const i = Object.keys(LABELS).indexOf(key);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
