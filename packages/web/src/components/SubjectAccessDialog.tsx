import type { AccessRule, Role } from '@tessera/client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, readableError } from '../api.js';
import { Dialog } from './Dialog.js';
import { ErrorAlert } from './ErrorAlert.js';
import { can, type PermissionMap } from '../permissions.js';

/** The seed's roles → the predefined role (by name) and where it applies. */
const SEED_ROLES = [
  { label: 'Researcher', roleName: 'L1 researcher', perProject: true },
  { label: 'Editor', roleName: 'Editor', perProject: false },
  { label: 'Administrator', roleName: 'System administrator', perProject: false },
] as const;

interface ProjectRow {
  id: string;
  name: string;
}

/** A machine identity whose access rules the dialog edits. */
export interface AccessSubject {
  type: 'app' | 'service-account';
  id: string;
  name: string;
  tenantId: string;
}

const NOUN: Record<AccessSubject['type'], string> = {
  app: 'application',
  'service-account': 'service account',
};

/**
 * `Application | Projects` (and the same for a service account): the subject's access rules (role
 * on scope), with adding a role — Researcher on a chosen project, Editor or Administrator on the
 * tenant — and removing one.
 *
 * @example
 * ```tsx
 * <SubjectAccessDialog subject={{ type: 'app', id, name, tenantId }} perms={perms} onClose={close} />
 * ```
 */
export function SubjectAccessDialog({
  subject,
  perms,
  onClose,
}: {
  subject: AccessSubject;
  perms: PermissionMap;
  onClose: () => void;
}) {
  const [rules, setRules] = useState<AccessRule[]>();
  // Undefined until the server's roles have loaded: adding waits for them (below).
  const [roles, setRoles] = useState<Role[]>();
  const [projects, setProjects] = useState<ProjectRow[]>();
  const [choice, setChoice] = useState<string>(SEED_ROLES[0].label);
  const [project, setProject] = useState('');
  const [error, setError] = useState<string>();
  const mayCreate = can(perms, 'access_rules', 'create');
  const mayDelete = can(perms, 'access_rules', 'delete');

  const reload = useCallback(async () => {
    try {
      const list = await api.accessRules.list({
        subjectType: subject.type,
        subjectIds: [subject.id],
        limit: 500,
      });
      setRules(list.accessRules);
    } catch (err) {
      setError(readableError(err));
    }
  }, [subject.type, subject.id]);
  useEffect(() => {
    void reload();
    api.roles.list().then(setRoles, (err: unknown) => setError(readableError(err)));
    api
      .request<{ projects: ProjectRow[] }>('GET', '/api/v1/org-unit/projects?limit=500')
      .then((b) => {
        setProjects(b.projects);
        setProject(b.projects[0]?.id ?? '');
      })
      .catch(() => setProjects([]));
  }, [reload]);

  const seed = SEED_ROLES.find((r) => r.label === choice) ?? SEED_ROLES[0];
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (!roles) return;
    const role = roles.find((r) => r.name === seed.roleName);
    if (!role) return setError(`Role: ${seed.label} is not available on this server.`);
    if (seed.perProject && !project.trim())
      return setError('Project: choose the project for the Researcher role.');
    try {
      await api.accessRules.create({
        subjectType: subject.type,
        subjectId: subject.id,
        roleId: role.id,
        scopeType: seed.perProject ? 'project' : 'tenant',
        scopeId: seed.perProject ? project.trim() : subject.tenantId,
      });
    } catch (err) {
      setError(readableError(err));
    }
    await reload();
  };
  const remove = async (rule: AccessRule) => {
    setError(undefined);
    try {
      await api.accessRules.delete(rule.id);
    } catch (err) {
      setError(readableError(err));
    }
    await reload();
  };

  return (
    <Dialog title={`Access of ${subject.name}`} onClose={onClose}>
      {rules && rules.length === 0 && (
        <p>No roles yet: this {NOUN[subject.type]} can get a token but do nothing.</p>
      )}
      {rules && rules.length > 0 && (
        <ul className="rules">
          {rules.map((r) => (
            <li key={r.id}>
              <span>
                <strong>{r.roleName}</strong> on {r.scopeType} {r.scopeName}
              </span>
              {mayDelete && (
                <button
                  type="button"
                  className="danger"
                  aria-label={`Remove ${r.roleName} on ${r.scopeName}`}
                  onClick={() => void remove(r)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert message={error} />
      {mayCreate && (
        <form onSubmit={(e) => void add(e)} className="add-rule" noValidate>
          <label className="field">
            Role
            <select value={choice} onChange={(e) => setChoice(e.target.value)}>
              {SEED_ROLES.map((r) => (
                <option key={r.label}>{r.label}</option>
              ))}
            </select>
          </label>
          {seed.perProject &&
            (projects && projects.length > 0 ? (
              <label className="field">
                Project
                <select value={project} onChange={(e) => setProject(e.target.value)}>
                  {projects.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <label className="field">
                Project
                <input
                  value={project}
                  onChange={(e) => setProject(e.target.value)}
                  placeholder="project id"
                />
              </label>
            ))}
          {/* Until the roles are in, a click would name none: "not available on this server". */}
          <button type="submit" disabled={!roles}>
            Add role
          </button>
        </form>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
