import type { Cluster, Project } from '@tessera/client';
import { api } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import type { OrgUnitRights } from './org-unit.js';
import { OrgUnitRow } from './OrgUnitRow.js';
import { usePagedList } from './paged-list.js';

/**
 * The projects of one department (or every visible project when `parentId` is undefined), paged by
 * the server with a "Load more" button. `version` changes make it fetch again (after a create).
 *
 * @example
 * ```tsx
 * <ProjectList parentId="3" parentName="research" version={n} rights={rights} clusters={clusters} />
 * ```
 */
export function ProjectList({
  parentId,
  parentName,
  version,
  rights,
  clusters,
}: {
  parentId?: string;
  parentName?: string;
  version: number;
  rights: OrgUnitRights;
  clusters: Cluster[];
}) {
  const list = usePagedList<Project>(
    (offset, limit) =>
      api.projects
        .list({ offset, limit, ...(parentId ? { filterBy: [`parentId==${parentId}`] } : {}) })
        .then((body) => ({ items: body.projects, next: body.next })),
    `${parentId ?? 'all'}#${version}`,
  );
  const where = parentName ? ` in ${parentName}` : '';
  return (
    <>
      <ErrorAlert message={list.error} />
      {list.items === undefined ? (
        !list.error && <p aria-busy="true">Loading projects…</p>
      ) : list.items.length === 0 ? (
        <p className="hint">No projects{where} yet.</p>
      ) : (
        <ul aria-label={`Projects${where}`} className="tree-level">
          {list.items.map((p) => (
            <li key={p.id}>
              <OrgUnitRow
                kind="project"
                unit={p}
                rights={rights}
                title={<span className="node-name">{p.name}</span>}
                facts={
                  <p className="node-meta">
                    Namespace <code>{p.status.namespace ?? '—'}</code>
                    {!parentId && <> · {clusters.find((c) => c.uuid === p.clusterId)?.name ?? p.clusterId}</>}
                  </p>
                }
                onUpdated={(u) => list.replace(u as Project)}
                onDeleted={() => void list.reload()}
              />
            </li>
          ))}
        </ul>
      )}
      {list.hasMore && (
        <button type="button" disabled={list.loading} onClick={() => void list.loadMore()}>
          Load more projects{where}
        </button>
      )}
    </>
  );
}
