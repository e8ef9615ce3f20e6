import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, readableError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';

/** `GET /api/v1/audit/log` items (Run:ai's shape). */
interface AuditEntry {
  timestamp: string;
  subject: string;
  subject_type: string;
  action: string;
  entity_type: string;
  entity_name: string;
  result: string;
  metadata: Record<string, string>;
}

const PAGE = 50;
/** A `datetime-local` value for an instant, in the browser's time zone. */
const local = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** Settings & Tools → Audit log: events in a time range, filtered by subject and action, paged. */
export function AuditLogPage() {
  const [from, setFrom] = useState(() => local(Date.now() - 24 * 3600_000));
  const [to, setTo] = useState(() => local(Date.now() + 3600_000));
  const [subject, setSubject] = useState('');
  const [action, setAction] = useState('');
  const [offset, setOffset] = useState(0);
  const [query, setQuery] = useState(0);
  const [page, setPage] = useState<{ total: number; entries: AuditEntry[] }>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    setError(undefined);
    const start = new Date(from);
    const end = new Date(to);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) {
      setError('From and To: choose a time range whose start is before its end.');
      return;
    }
    const params = new URLSearchParams({
      start: start.toISOString(),
      end: end.toISOString(),
      offset: String(offset),
      numberOfSamples: String(PAGE),
    });
    if (subject.trim()) params.append('filterBy', `subject=@${subject.trim()}`);
    if (action.trim()) params.append('filterBy', `action=@${action.trim()}`);
    try {
      const body = await api.request<{ total: number; audit_logs: AuditEntry[] }>(
        'GET',
        `/api/v1/audit/log?${params.toString()}`,
      );
      setPage({ total: body.total, entries: body.audit_logs });
    } catch (err) {
      setError(readableError(err));
    }
    // Reloads on Apply (query) and paging (offset), not on every keystroke.
  }, [query, offset]);
  useEffect(() => void load(), [load]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setOffset(0);
    setQuery((n) => n + 1);
  };
  return (
    <>
      <h1>Audit log</h1>
      <form className="filters" onSubmit={apply}>
        <label className="field">
          From
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          To
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="field">
          Subject
          <input value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        <label className="field">
          Action
          <input
            value={action}
            onChange={(e) => setAction(e.target.value)}
            placeholder="create, token.grant…"
          />
        </label>
        <button type="submit">Apply</button>
      </form>
      <ErrorAlert message={error} />
      {page && (
        <>
          <Table columns={['Time', 'Subject', 'Action', 'Entity', 'Result']}>
            {page.entries.map((e, i) => (
              <tr key={`${e.timestamp}-${i}`}>
                <td>{new Date(e.timestamp).toLocaleString()}</td>
                <th scope="row">
                  {e.subject} <span className="hint">({e.subject_type})</span>
                </th>
                <td>{e.metadata.action ?? e.action}</td>
                <td>
                  {e.entity_type} {e.entity_name}
                </td>
                <td>
                  {e.result}
                  {e.metadata.reason ? <span className="hint"> ({e.metadata.reason})</span> : null}
                </td>
              </tr>
            ))}
          </Table>
          <nav aria-label="Pages" className="pager">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              Previous
            </button>
            <span>
              {page.total === 0
                ? 'No events'
                : `${offset + 1}–${offset + page.entries.length} of ${page.total}`}
            </span>
            <button
              type="button"
              disabled={offset + PAGE >= page.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </>
  );
}
