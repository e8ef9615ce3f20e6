import type { Cluster } from '@tessera/client';
import { useState } from 'react';
import { FormDialog } from '../components/FormDialog.js';
import { NameField } from '../components/NameField.js';
import { useSubmission } from '../useSubmission.js';

/** The API's cluster name pattern (a DNS-style label, dots allowed). */
const NAME = /^[A-Za-z0-9]([-.A-Za-z0-9]*[A-Za-z0-9])?$/;

/** What the form sends: the API's `ClusterCreationRequest` / update body. */
export interface ClusterFields {
  name: string;
  domain?: string;
}

/** Why the form's values would be refused, naming the field; undefined when they are fine. */
function problem(name: string, domain: string, hadDomain: boolean): string | undefined {
  if (!NAME.test(name) || name.length > 63)
    return 'Name: use 1 to 63 letters, digits, "-" or ".", starting and ending with a letter or digit.';
  if (!domain && hadDomain) return 'URL: a cluster URL cannot be removed, only changed.';
  if (domain && (!/^https?:\/\/\S+$/.test(domain) || domain.length > 2048))
    return 'URL: enter the address of the Cluster API, starting with http:// or https://.';
  if (domain && !URL.canParse(domain)) return 'URL: this is not a valid address.';
  return undefined;
}

/**
 * New cluster / Edit cluster: its name and the URL its Cluster API answers at. `onSave` may fail;
 * its error is shown in the dialog, which stays open.
 *
 * @example
 * ```tsx
 * <ClusterDialog onSave={(fields) => api.clusters.create(fields)} onClose={close} />
 * ```
 */
export function ClusterDialog({
  cluster,
  onSave,
  onClose,
}: {
  /** The cluster to edit; none for a new one. */
  cluster?: Cluster;
  onSave: (fields: ClusterFields) => Promise<void>;
  onClose: () => void;
}) {
  const [name, setName] = useState(cluster?.name ?? '');
  const [domain, setDomain] = useState(cluster?.domain ?? '');
  const { error, setError, busy, submit } = useSubmission();
  const onSubmit = () => {
    const trimmed = domain.trim();
    const bad = problem(name.trim(), trimmed, Boolean(cluster?.domain));
    if (bad) return setError(bad);
    void submit(() => onSave({ name: name.trim(), ...(trimmed ? { domain: trimmed } : {}) }));
  };
  return (
    <FormDialog
      title={cluster ? `Edit ${cluster.name}` : 'New cluster'}
      submitLabel={cluster ? 'Save' : 'Create'}
      error={error}
      busy={busy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <NameField value={name} onChange={setName} />
      <label className="field">
        URL
        <input
          type="url"
          value={domain}
          onChange={(e) => setDomain(e.target.value)}
          placeholder="https://cluster.example.com"
          autoComplete="off"
          aria-describedby="cluster-url-hint"
        />
        <span id="cluster-url-hint" className="hint">
          Where the cluster&apos;s Cluster API answers{cluster ? '' : '; optional, can be set later'}.
        </span>
      </label>
    </FormDialog>
  );
}
