import { useState } from 'react';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime, humanize } from '../format';
import { href } from '../router';
import { useApi } from '../useApi';
import { useDepartments } from '../useDepartments';
import { OpDialog } from './OpDialog';
import { operateApi } from './operateApi';
import { CancelDialog, IncidentDialog, MoveDialog, VariableDialog } from './RepairDialogs';
import type { OperateAttempt, OperationHistory } from './types';
import { relativeIso, STATUS_LABEL, stepName, waitLines } from './words';

type Action = null | 'cancel' | 'move' | 'variable' | 'retry' | 'skip';

interface Props {
  attempt: OperateAttempt;
  canOperate: boolean;
  onClose: () => void;
  /** An action applied: the list reloads, so the row shows where the attempt is now. */
  onChanged: () => void;
}

/** One attempt from the operator's side: what it waits for, its open incident, the repairs, and what was done to it. */
export function AttemptPanel({ attempt, canOperate, onClose, onChanged }: Props) {
  const [action, setAction] = useState<Action>(null);
  const departments = useDepartments();
  const [historySeq, setHistorySeq] = useState(0);
  const history = useApi((signal) => operateApi.history(attempt.id, signal), [attempt.id, historySeq]);
  const running = attempt.status === 'running';
  const incident = attempt.incident && !attempt.incident.resolvedAt ? attempt.incident : null;

  function closeAction(applied: boolean) {
    setAction(null);
    if (applied) {
      setHistorySeq((n) => n + 1);
      onChanged();
    }
  }

  return (
    <OpDialog title={`${attempt.customerName} · ${attempt.playbookName} v${attempt.playbookVersion}`} onClose={onClose} wide>
      <p className="small muted">
        {STATUS_LABEL[attempt.status]}
        {attempt.outcome && <> · outcome {humanize(attempt.outcome)}</>} · started {formatDateTime(attempt.startedAt)}
        {attempt.migratedFrom !== null && <> · migrated from v{attempt.migratedFrom}</>}
        {' · '}
        <a href={href({ name: 'auditAttempt', attemptId: attempt.id })}>Attempt page</a>
        {attempt.temporalUrl && (
          <>
            {' · '}
            <a href={attempt.temporalUrl} target="_blank" rel="noreferrer">
              Temporal run ↗
            </a>
          </>
        )}
      </p>

      {incident && (
        <section className="op-incident" aria-label="Open incident">
          <h3>Incident: a write keeps failing</h3>
          <p>
            Since {formatDateTime(incident.openedAt)}, at transition {incident.transition}
            {incident.nodeIds.length > 0 && <> (steps {incident.nodeIds.join(', ')})</>}.
          </p>
          <p className="op-error-text">
            <strong>{incident.code}</strong>: {incident.message}
          </p>
          {canOperate && (
            <div className="op-buttons">
              <button type="button" className="btn btn--primary btn--small" onClick={() => setAction('retry')}>
                Retry…
              </button>
              <button type="button" className="btn btn--small" onClick={() => setAction('skip')}>
                Skip…
              </button>
            </div>
          )}
        </section>
      )}

      <section aria-label="What it waits for">
        <h3>What it waits for</h3>
        {attempt.waits.length === 0 ? (
          <p className="muted small">{running ? 'No step waits right now.' : 'It has ended.'}</p>
        ) : (
          <ul className="op-waits">
            {attempt.waits.map((w) => (
              <li key={w.stepId}>
                <strong>{stepName(w)}</strong> <span className="muted small">since {relativeIso(new Date(w.since).toISOString())}</span>
                <ul>
                  {waitLines(w, departments.name).map((l, i) => (
                    <li key={i}>{l}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>

      {canOperate && running && (
        <section aria-label="Repairs">
          <h3>Repair</h3>
          <div className="op-buttons">
            <button type="button" className="btn btn--small" onClick={() => setAction('move')} disabled={attempt.waits.length === 0}>
              Move…
            </button>
            <button type="button" className="btn btn--small" onClick={() => setAction('variable')}>
              Change variable…
            </button>
            <button type="button" className="btn btn--small btn--danger" onClick={() => setAction('cancel')}>
              Cancel attempt…
            </button>
          </div>
        </section>
      )}

      <section aria-label="Operations">
        <h3>Operations on this attempt</h3>
        {history.status === 'loading' && <Loading label="Loading operations…" />}
        {history.status === 'error' && <ErrorBox title="Could not load the operations" error={history.error} onRetry={history.reload} />}
        {history.status === 'ok' && <HistoryList history={history.data} />}
      </section>

      {action === 'cancel' && <CancelDialog attempt={attempt} onClose={closeAction} />}
      {action === 'move' && <MoveDialog attempt={attempt} onClose={closeAction} />}
      {action === 'variable' && <VariableDialog attempt={attempt} onClose={closeAction} />}
      {(action === 'retry' || action === 'skip') && incident && <IncidentDialog attempt={attempt} incident={incident} action={action} onClose={closeAction} />}
    </OpDialog>
  );
}

const OPERATION_WORDS = { cancel_attempt: 'Cancelled', move_step: 'Moved', set_variable: 'Changed a variable', migrate: 'Migrated' } as const;

function HistoryList({ history }: { history: OperationHistory }) {
  const rows = [
    ...history.operations.map((o) => ({
      at: o.at,
      key: o.operationId,
      what: OPERATION_WORDS[o.operation],
      who: o.actorName ?? o.actorId ?? 'someone',
      reason: o.reason,
      details: describe(o.details),
    })),
    ...history.incidents.flatMap((i) => [
      { at: i.openedAt, key: `${i.incidentId}-open`, what: `Incident opened (${i.code})`, who: 'the worker', reason: i.message, details: '' },
      ...(i.resolvedAt
        ? [
            {
              at: i.resolvedAt,
              key: `${i.incidentId}-end`,
              what: i.resolution === 'skip' ? 'Incident skipped' : 'Incident retried',
              who: i.resolvedBy ?? 'someone',
              reason: i.resolutionReason ?? '',
              details: '',
            },
          ]
        : []),
    ]),
  ].sort((a, b) => b.at.localeCompare(a.at));
  if (rows.length === 0) return <p className="muted small">No operator has acted on it.</p>;
  return (
    <ol className="op-history">
      {rows.map((r) => (
        <li key={r.key}>
          <span className="small muted">{formatDateTime(r.at)}</span> <strong>{r.what}</strong> by {r.who}
          {r.details && <span className="small"> · {r.details}</span>}
          {r.reason && <div className="small">“{r.reason}”</div>}
        </li>
      ))}
    </ol>
  );
}

/** The operation's details in a line ("toNodeId: s4 · value: 3"), for the record. */
function describe(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .slice(0, 4)
    .map(([k, v]) => `${humanize(k)}: ${String(v)}`)
    .join(' · ');
}
