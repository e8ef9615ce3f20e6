import { when } from '../format.js';

/** What an application and a service account show in their lists: both log in with a secret. */
export interface CredentialSubjectRow {
  name: string;
  clientId: string;
  enabled: boolean;
  createdAt: string | null;
  lastLogin: string | null;
}

/**
 * The cells an application's or a service account's list row starts with: the name (the row's
 * header), client ID, whether it is enabled, when it was created and last logged in. The columns
 * are `CREDENTIAL_SUBJECT_COLUMNS`; the page adds its actions after them.
 *
 * @example
 * ```tsx
 * <tr key={app.id}>
 *   <CredentialSubjectCells subject={app} />
 *   <RowActions actions={[…]} />
 * </tr>
 * ```
 */
export function CredentialSubjectCells({ subject }: { subject: CredentialSubjectRow }) {
  return (
    <>
      <th scope="row">{subject.name}</th>
      <td>
        <code>{subject.clientId}</code>
      </td>
      <td>{subject.enabled ? 'Yes' : 'No'}</td>
      <td>{when(subject.createdAt)}</td>
      <td>{when(subject.lastLogin)}</td>
    </>
  );
}

/** The column names of {@link CredentialSubjectCells}, in order. */
export const CREDENTIAL_SUBJECT_COLUMNS = ['Name', 'Client ID', 'Enabled', 'Created', 'Last login'] as const;
