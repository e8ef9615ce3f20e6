import type { ApplicationCreated } from '@tessera/client';
import { useId, useState } from 'react';
import { api } from '../api.js';
import { FormDialog } from '../components/FormDialog.js';
import { NameField } from '../components/NameField.js';
import { nameProblem } from '../names.js';
import { useSubmission } from '../useSubmission.js';
import { ProjectPicker } from './ProjectPicker.js';

/** The seed's three roles, as the API's `roles` names. */
const ROLES = [
  { name: 'researcher', label: 'Researcher', hint: 'Workloads in the chosen projects (Cluster API).' },
  { name: 'editor', label: 'Editor', hint: 'Projects and departments (Administrator API).' },
  { name: 'admin', label: 'Administrator', hint: 'Users, tenant settings and clusters.' },
] as const;

/** New application: a name, its roles, and projects for Researcher; then its secret is shown once. */
export function CreateApplicationDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (app: ApplicationCreated) => void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [projects, setProjects] = useState<string[]>([]);
  const { error, setError, busy, submit } = useSubmission();

  const onSubmit = () => {
    const problem = nameProblem(name);
    if (problem) {
      setError(problem);
      return;
    }
    if (roles.includes('researcher') && projects.length === 0) {
      setError('Projects: choose at least one project for the Researcher role.');
      return;
    }
    void submit(async () => {
      const created = await api.apps.create({
        name,
        roles,
        ...(roles.includes('researcher') ? { projects } : {}),
      });
      onCreated(created);
    });
  };

  return (
    <FormDialog
      title="New application"
      submitLabel="Create"
      error={error}
      busy={busy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <NameField value={name} onChange={setName} />
      <fieldset>
        <legend>Roles</legend>
        {ROLES.map((role) => (
          <div key={role.name} className="check">
            <input
              id={`${id}-${role.name}`}
              type="checkbox"
              aria-describedby={`${id}-${role.name}-hint`}
              checked={roles.includes(role.name)}
              onChange={(e) =>
                setRoles(e.target.checked ? [...roles, role.name] : roles.filter((r) => r !== role.name))
              }
            />
            <label htmlFor={`${id}-${role.name}`}>{role.label}</label>
            <span id={`${id}-${role.name}-hint`} className="hint">
              {role.hint}
            </span>
          </div>
        ))}
      </fieldset>
      {roles.includes('researcher') && <ProjectPicker value={projects} onChange={setProjects} />}
    </FormDialog>
  );
}
