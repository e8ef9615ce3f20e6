import type { Role } from '@tessera/client';
import { useEffect, useState } from 'react';
import { api, readableError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

/** Settings & Tools → Roles: the predefined roles and what each may do (read-only). */
export function RolesPage() {
  const [roles, setRoles] = useState<Role[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.roles.list().then(setRoles, (err: unknown) => setError(readableError(err)));
  }, []);
  return (
    <>
      <h1>Roles</h1>
      <ErrorAlert message={error} />
      {roles?.map((role) => (
        <details key={role.id} className="role">
          <summary>
            <strong>{role.name}</strong> <span className="hint">{role.description}</span>
          </summary>
          <ul>
            {role.permissions.map((p) => (
              <li key={p.resourceType}>
                {p.displayName}: {p.actions.join(', ')}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </>
  );
}
