import { useEffect, useState } from 'react';
import { api } from '../api.js';

interface ProjectRow {
  id: string;
  name: string;
}

/**
 * Projects to choose from: checkboxes over `GET /api/v1/org-unit/projects`; where that list cannot
 * be read, a text field taking project names or ids separated by commas.
 *
 * @example
 * ```tsx
 * <ProjectPicker value={projects} onChange={setProjects} />
 * ```
 */
export function ProjectPicker({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const [projects, setProjects] = useState<ProjectRow[] | 'unavailable' | undefined>();
  useEffect(() => {
    api
      .request<{ projects: ProjectRow[] }>('GET', '/api/v1/org-unit/projects?limit=500')
      .then((body) => setProjects(body.projects))
      .catch(() => setProjects('unavailable'));
  }, []);
  if (projects === undefined) return <p aria-busy="true">Loading projects…</p>;
  if (projects === 'unavailable') {
    return (
      <label className="field">
        Projects
        <input
          value={value.join(', ')}
          onChange={(e) =>
            onChange(
              e.target.value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            )
          }
          placeholder="team-a, team-b"
          aria-describedby="projects-hint"
        />
        <span id="projects-hint" className="hint">
          Project names or ids, separated by commas.
        </span>
      </label>
    );
  }
  return (
    <fieldset>
      <legend>Projects</legend>
      {projects.length === 0 && <p>No projects yet. Create one under Projects first.</p>}
      <div className="checks">
        {projects.map((p) => (
          <label key={p.id}>
            <input
              type="checkbox"
              checked={value.includes(p.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, p.id] : value.filter((id) => id !== p.id))
              }
            />
            {p.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
