import { Empty } from '../components/Status';
import { formatDateTime, outcomeLabel } from '../format';
import type { Directory } from '../inbox/useDirectory';
import { href } from '../router';
import { statusLabel } from './eventKinds';
import type { Attempt } from './types';
import type { SearchOptions } from './useSearchOptions';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge audit-status audit-status--${status}`}>{statusLabel(status)}</span>;
}

export const personName = (directory: Directory, id: string | null | undefined) => (id ? (directory.byId.get(id)?.displayName ?? id) : '—');

/** The attempts found, newest first, each linking to its story. */
export function RunResults({ runs, directory, options, limit }: { runs: Attempt[]; directory: Directory; options: SearchOptions; limit: number }) {
  if (runs.length === 0) return <Empty title="No recovery attempts match">Widen the date range or clear a filter.</Empty>;
  return (
    <div className="card card--flush">
      <table className="table" data-testid="attempt-results">
        <caption className="sr-only">Recovery attempts</caption>
        <thead>
          <tr>
            <th>Customer</th>
            <th>Playbook</th>
            <th>Status</th>
            <th>Outcome</th>
            <th>Started</th>
            <th>Started by</th>
            <th>Ended</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid="attempt-row">
              <td>
                <a
                  className="strong"
                  href={href({ name: 'auditAttempt', attemptId: r.id })}
                  aria-label={`Open the attempt for ${options.customerName(r.customerId) ?? r.customerId}, started ${formatDateTime(r.startedAt)}`}
                >
                  {options.customerName(r.customerId) ?? r.customerId}
                </a>
                <div className="small muted">{r.customerId}</div>
              </td>
              <td>
                {options.playbookName(r.playbookKey) ?? r.playbookKey} <span className="badge">v{r.playbookVersion}</span>
                <div className="small muted">
                  <code>{r.playbookKey}</code>
                </div>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>
                {r.outcome ? <span className="strong">{outcomeLabel(r.outcome)}</span> : <span className="muted">—</span>}
                {r.outcomeReason && <div className="small muted">{r.outcomeReason}</div>}
              </td>
              <td className="nowrap">{formatDateTime(r.startedAt)}</td>
              <td>{personName(directory, r.startedBy)}</td>
              <td className="nowrap">{r.endedAt ? formatDateTime(r.endedAt) : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs.length >= limit && <p className="small muted audit-results__more">Showing the newest {limit}; narrow the filters to see older attempts.</p>}
    </div>
  );
}
