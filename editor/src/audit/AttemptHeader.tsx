import { useSession } from '../session';
import { outcomeLabel } from '../format';
import { relativeTime } from '../inbox/format';
import type { Directory } from '../inbox/useDirectory';
import { href } from '../router';
import { AttemptActions } from './AttemptActions';
import { canAudit } from './eventKinds';
import { personName, StatusBadge } from './RunResults';
import { formatMoment } from './timeFormat';
import type { AttemptDetail } from './types';

interface Props {
  attempt: AttemptDetail;
  customerName: string | null;
  playbookName: string | null;
  runs: readonly string[];
  directory: Directory;
}

/** Who, what and how it ended, at a glance; the audit actions for those allowed them. */
export function AttemptHeader({ attempt, customerName, playbookName, runs, directory }: Props) {
  const { user } = useSession();
  return (
    <header className="attempt-header">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        {canAudit(user.role) ? <a href={href({ name: 'audit' })}>Audit</a> : <span>Audit</span>}
        <span aria-hidden="true">/</span>
        <span>Recovery attempt</span>
      </nav>
      <div className="attempt-header__top">
        <div className="attempt-header__title">
          <h1 data-testid="attempt-title">
            {customerName ?? attempt.customerId}
            <span className="muted attempt-header__sep"> · </span>
            {playbookName ?? attempt.playbookKey} <span className="badge">v{attempt.playbookVersion}</span>
          </h1>
          <dl className="attempt-facts">
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={attempt.status} />
                {attempt.outcome && (
                  <>
                    {' '}
                    <span className="strong" data-testid="attempt-outcome">
                      {outcomeLabel(attempt.outcome)}
                    </span>
                    {attempt.outcomeReason && <span className="muted"> ({attempt.outcomeReason})</span>}
                  </>
                )}
              </dd>
            </div>
            <div>
              <dt>Customer</dt>
              <dd>
                <code>{attempt.customerId}</code>
              </dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                {formatMoment(attempt.startedAt)} <span className="muted">({relativeTime(attempt.startedAt)})</span> by{' '}
                <span className="strong">{personName(directory, attempt.startedBy)}</span>
              </dd>
            </div>
            <div>
              <dt>Ended</dt>
              <dd>
                {attempt.endedAt ? (
                  <>
                    {formatMoment(attempt.endedAt)} <span className="muted">({relativeTime(attempt.endedAt)})</span>
                  </>
                ) : (
                  <span className="muted">still running</span>
                )}
              </dd>
            </div>
            <div>
              <dt>Workflow</dt>
              <dd className="small">
                <code>{attempt.workflowId}</code>
                {runs.length > 0 && (
                  <span className="muted">
                    {' '}
                    · {runs.length} Temporal run{runs.length === 1 ? '' : 's'}: {runs.map((r) => r.slice(0, 8)).join(', ')}
                  </span>
                )}
                {attempt.temporalUrl && (
                  <>
                    {' '}
                    ·{' '}
                    <a href={attempt.temporalUrl} target="_blank" rel="noopener noreferrer" data-testid="temporal-link">
                      Open in Temporal<span className="sr-only"> (opens in a new tab)</span>
                    </a>
                  </>
                )}
              </dd>
            </div>
          </dl>
        </div>
        {canAudit(user.role) && <AttemptActions attemptId={attempt.id} />}
      </div>
    </header>
  );
}
