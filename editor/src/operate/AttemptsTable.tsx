import { humanize } from '../format';
import { href } from '../router';
import { useDepartments } from '../useDepartments';
import type { OperateAttempt } from './types';
import { relativeIso, STATUS_LABEL, stepName, waitLines } from './words';

interface Props {
  attempts: OperateAttempt[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onTogglePage: (on: boolean) => void;
  onOpen: (attempt: OperateAttempt) => void;
}

/** The operator's list: one row per attempt, what it waits for in words, links to its page and its Temporal run. */
export function AttemptsTable({ attempts, selected, onToggle, onTogglePage, onOpen }: Props) {
  const departments = useDepartments();
  const allOn = attempts.length > 0 && attempts.every((a) => selected.has(a.id));
  return (
    <div className="op-table-wrap">
      <table className="table op-table">
        <caption className="sr-only">Attempts</caption>
        <thead>
          <tr>
            <th scope="col" className="op-col-check">
              <input type="checkbox" checked={allOn} onChange={(e) => onTogglePage(e.target.checked)} aria-label="Select every attempt on this page" />
            </th>
            <th scope="col">Customer</th>
            <th scope="col">Playbook</th>
            <th scope="col">Current step and what it waits for</th>
            <th scope="col">Asleep since</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Links</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id} className={selected.has(a.id) ? 'is-selected' : undefined} data-testid="operate-row">
              <td className="op-col-check">
                <input type="checkbox" checked={selected.has(a.id)} onChange={() => onToggle(a.id)} aria-label={`Select ${a.customerName}`} />
              </td>
              <td>
                <button type="button" className="linklike strong" onClick={() => onOpen(a)}>
                  {a.customerName}
                </button>
                {a.department && <div className="small muted">{a.departmentName ?? departments.name(a.department)}</div>}
              </td>
              <td>
                {a.playbookName} <span className="badge">v{a.playbookVersion}</span>
                {a.migratedFrom !== null && <span className="badge op-badge--info">migrated from v{a.migratedFrom}</span>}
              </td>
              <td>
                {a.waits.length === 0 ? (
                  <span className="muted small">{a.status === 'running' ? 'Between steps' : '—'}</span>
                ) : (
                  <ul className="op-waits op-waits--row">
                    {a.waits.map((w) => (
                      <li key={w.stepId}>
                        <strong>{stepName(w)}</strong>
                        {waitLines(w, departments.name).map((l, i) => (
                          <div key={i} className="small">
                            {l}
                          </div>
                        ))}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="nowrap" title={a.waitingSince ?? undefined}>
                {relativeIso(a.waitingSince)}
              </td>
              <td>
                <span className={`run-status run-status--${a.status}`}>{STATUS_LABEL[a.status]}</span>
                {a.outcome && <div className="small">{humanize(a.outcome)}</div>}
                {a.incident && !a.incident.resolvedAt && (
                  <div>
                    <span className="badge op-badge--bad" title={a.incident.message}>
                      Incident
                    </span>
                  </div>
                )}
              </td>
              <td className="nowrap small">
                <button type="button" className="btn btn--small" onClick={() => onOpen(a)} aria-label={`Operate ${a.customerName}’s attempt`}>
                  Operate
                </button>{' '}
                <a href={href({ name: 'auditAttempt', attemptId: a.id })} aria-label={`Attempt page of ${a.customerName}`}>
                  Page
                </a>
                {a.temporalUrl && (
                  <>
                    {' · '}
                    <a href={a.temporalUrl} target="_blank" rel="noreferrer" aria-label={`Temporal run of ${a.customerName} (new tab)`}>
                      Temporal ↗
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
