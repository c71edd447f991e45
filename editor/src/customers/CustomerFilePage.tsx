import { useMemo, useState } from 'react';
import { ATTEMPT_STARTERS, inGroup, WORKERS } from '../../../contract/roles';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime, humanize, outcomeLabel } from '../format';
import { CustomerPanel } from '../inbox/CustomerPanel';
import { relativeTime, tierLabel } from '../inbox/format';
import { inboxApi } from '../inbox/inboxApi';
import type { CustomerFile } from '../inbox/types';
import { useDirectory } from '../inbox/useDirectory';
import { useQuietApi } from '../inbox/useQuietApi';
import { href } from '../router';
import { useDepartments } from '../useDepartments';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { customersApi, type PlaybookOverviewItem } from './customersApi';
import { StartAttempt } from './StartAttempt';
import './customers.css';

/**
 * One customer's file on a page of its own: start a recovery attempt (roles that may), their
 * attempts by playbook name linking to each attempt's page, the tasks open for them, and the
 * inbox's customer panel (facts, credit file, contact log).
 */
export function CustomerFilePage({ customerId }: { customerId: string }) {
  const { user } = useSession();
  const [seq, setSeq] = useState(0);
  const file = useQuietApi((signal) => inboxApi.customer(customerId, signal), customerId, seq);
  const playbooks = useApi((signal) => customersApi.playbooks(signal), []);
  const directory = useDirectory();
  const departments = useDepartments();
  const names = useMemo(() => new Map((playbooks.status === 'ok' ? playbooks.data : []).map((p) => [p.key, p.name])), [playbooks]);
  // A contact may be about one of the attempts still running, named as the page lists them.
  const openAttempts = useMemo(
    () =>
      (file.status === 'ok' ? file.data.attempts : [])
        .filter((a) => a.status === 'running')
        .map((a) => ({ id: a.id, label: `${names.get(a.playbookKey) ?? humanize(a.playbookKey)}, started ${formatDateTime(a.startedAt)}` })),
    [file, names],
  );

  if (file.status === 'loading') return <Loading label="Loading the customer file…" />;
  if (file.status === 'error')
    return (
      <div className="page">
        <ErrorBox title="Could not load the customer" error={file.error} />
      </div>
    );
  const { customer } = file.data;
  return (
    <div className="page customer-file" data-testid="customer-file">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ name: 'customers' })}>Customers</a>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{customer.name}</span>
      </nav>
      <header className="page__header">
        <div>
          <h1>
            {customer.name} <span className="heading-key muted">{customer.id}</span>
          </h1>
          <p className="muted">
            <span className={`grade grade--${customer.grade}`}>{tierLabel(customer.grade)}</span> · {humanize(customer.status)}
            {customer.department && <> · {customer.departmentName ?? departments.name(customer.department)}</>}
          </p>
        </div>
      </header>
      <div className="customer-file__columns">
        <div className="customer-file__main">
          {inGroup(ATTEMPT_STARTERS, user.role) &&
            (playbooks.status === 'ok' ? (
              <StartAttempt customerId={customer.id} customerName={customer.name} playbooks={playbooks.data} onStarted={() => setSeq((n) => n + 1)} />
            ) : playbooks.status === 'error' ? (
              <ErrorBox title="Could not load the playbooks" error={playbooks.error} onRetry={playbooks.reload} />
            ) : (
              <Loading label="Loading the playbooks…" />
            ))}
          <Attempts attempts={file.data.attempts} names={names} />
          <OpenTasks tasks={file.data.openTasks} canWork={inGroup(WORKERS, user.role)} />
        </div>
        <aside className="card customer-file__side" aria-label="Customer file">
          {/* The inbox's panel; a contact recorded here is about the customer, or one of their open attempts. */}
          <CustomerPanel
            customerId={customer.id}
            attemptId=""
            users={directory.byId}
            canRecord={inGroup(WORKERS, user.role)}
            contactAttempts={openAttempts}
            showAttempts={false}
            reloadSeq={seq}
            onRecorded={() => setSeq((n) => n + 1)}
          />
        </aside>
      </div>
    </div>
  );
}

function Attempts({ attempts, names }: { attempts: CustomerFile['attempts']; names: ReadonlyMap<string, PlaybookOverviewItem['name']> }) {
  return (
    <section className="card customer-file__section" aria-labelledby="attempts-heading">
      <h2 id="attempts-heading">Recovery attempts</h2>
      {attempts.length === 0 ? (
        <p className="muted small">No recovery attempt yet.</p>
      ) : (
        <ul className="customer-file__list" data-testid="customer-attempts">
          {attempts.map((a) => (
            <li key={a.id}>
              <a href={href({ name: 'auditAttempt', attemptId: a.id })}>{names.get(a.playbookKey) ?? humanize(a.playbookKey)}</a>{' '}
              <span className="muted small">version {a.version}</span>
              <div className="small">
                <span className={`run-status run-status--${a.status}`}>{humanize(a.status)}</span>
                {a.outcome && (
                  <>
                    {' '}
                    · <strong>{outcomeLabel(a.outcome)}</strong>
                  </>
                )}
                <span className="muted">
                  {' '}
                  · started <time dateTime={a.startedAt}>{formatDateTime(a.startedAt)}</time> ({relativeTime(a.startedAt)})
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function OpenTasks({ tasks, canWork }: { tasks: CustomerFile['openTasks']; canWork: boolean }) {
  return (
    <section className="card customer-file__section" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Open tasks</h2>
      {tasks.length === 0 ? (
        <p className="muted small">No open task.</p>
      ) : (
        <ul className="customer-file__list" data-testid="customer-tasks">
          {tasks.map((t) => (
            <li key={t.id}>
              {canWork ? <a href={href({ name: 'inbox', taskId: t.id })}>{t.title}</a> : <span className="strong">{t.title}</span>}
              <div className="small muted">
                For the {humanize(t.assigneeRole)} queue ·{' '}
                {t.dueAt ? (
                  <>
                    due <time dateTime={t.dueAt}>{formatDateTime(t.dueAt)}</time> ({relativeTime(t.dueAt)})
                  </>
                ) : (
                  'no due date'
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
