import { useEffect, useState } from 'react';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime, humanize } from '../format';
import { useSession } from '../session';
import { useDepartments } from '../useDepartments';
import { CompletionForm } from './CompletionForm';
import { CustomerPanel } from './CustomerPanel';
import { EscalationChain } from './EscalationChain';
import { assigneeLabel, dueLabel, PRIORITY_LABELS, userName } from './format';
import { inboxApi } from './inboxApi';
import { Notes } from './Notes';
import { RecordAnswer } from './RecordAnswer';
import { ReachedBy, TaskPlaceMap } from './TaskPlace';
import { abilities } from './permissions';
import { TaskActions } from './TaskActions';
import { TaskOutcome } from './TaskOutcome';
import type { DirectoryUser, Task } from './types';
import type { Directory } from './useDirectory';
import { useQuietApi } from './useQuietApi';

interface Props {
  taskId: string;
  /** Bumped by the page when a live event touches this task. */
  reloadSeq: number;
  directory: Directory;
  playbookName: (key: string) => string;
  onClose: () => void;
  /** Something we did changed the task: the list should refresh. */
  onChanged: () => void;
  /** Opens the next open task of the list after this one, if there is one. */
  onOpenNext?: () => void;
}

type Notice = { kind: 'ok' | 'error'; text: string; next?: boolean } | null;

export function TaskDetail({ taskId, reloadSeq, directory, playbookName, onClose, onChanged, onOpenNext }: Props) {
  const { user } = useSession();
  const [ownSeq, setOwnSeq] = useState(0);
  const [customerSeq, setCustomerSeq] = useState(0);
  const [notice, setNotice] = useState<Notice>(null);
  const detail = useQuietApi((signal) => inboxApi.task(taskId, signal), taskId, reloadSeq + ownSeq);

  const reload = () => setOwnSeq((n) => n + 1);
  // Someone else changed the task (a live event): an earlier refusal no longer describes it.
  useEffect(() => setNotice((n) => (n?.kind === 'error' ? null : n)), [reloadSeq]);
  const changed = (text: string, next = false) => {
    setNotice({ kind: 'ok', text, next });
    reload();
    setCustomerSeq((n) => n + 1);
    onChanged();
  };

  if (detail.status === 'loading') return <Loading label="Loading task…" />;
  if (detail.status === 'error') {
    return (
      <div className="task-detail task-detail--empty">
        <ErrorBox title="Could not open this task" error={detail.error} onRetry={reload} />
        <button type="button" className="btn btn--small" onClick={onClose}>
          Back to the list
        </button>
      </div>
    );
  }

  const { task, notes, escalationChain, place } = detail.data;
  const users = directory.byId;
  const can = abilities(user, task, users);

  return (
    <article className="task-detail" data-testid="task-detail" aria-labelledby={`task-title-${task.id}`}>
      <header className="task-detail__head">
        <div className="task-detail__heading">
          <div className="task-detail__eyebrow">
            <span title={task.playbookKey}>{place.playbook.name || playbookName(task.playbookKey)}</span> · {place.stepName} ·{' '}
            {task.customer.name ?? task.customer.id}
          </div>
          <h2 id={`task-title-${task.id}`}>{task.title}</h2>
          <TaskMeta task={task} users={users} />
        </div>
        <button type="button" className="btn btn--ghost btn--small" onClick={onClose} aria-label="Close task" title="Close (Esc)">
          ✕
        </button>
      </header>
      <TaskActions task={task} can={can} users={directory.list} directory={users} onChanged={changed} onError={(text) => setNotice({ kind: 'error', text })} />
      {notice && (
        <div className={`notice notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="task-notice">
          {notice.text}
          {notice.next && onOpenNext && (
            <button type="button" className="btn btn--small btn--primary notice__action" data-testid="open-next" onClick={onOpenNext}>
              Open next task
            </button>
          )}
          <button type="button" className="btn btn--ghost btn--small notice__close" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ✕
          </button>
        </div>
      )}
      <div className="task-detail__body">
        <div className="task-detail__main">
          <section aria-label="Instructions">
            <h3>Instructions</h3>
            <p className="instructions">{task.instructions || <span className="muted">No instructions.</span>}</p>
          </section>
          {(escalationChain.length > 0 || place.reachedBy) && (
            <section aria-label="Why this task">
              <h3>{task.escalation || escalationChain.length > 0 ? 'Why it escalated' : 'Why this task'}</h3>
              <ReachedBy place={place} />
              {escalationChain.length > 0 && <EscalationChain chain={escalationChain} currentId={task.id} users={users} />}
            </section>
          )}
          <section aria-label="Completion">
            <h3>{task.status === 'open' ? 'Complete' : 'Outcome'}</h3>
            {task.status === 'open' ? (
              <CompletionForm
                key={task.id}
                task={task}
                users={users}
                blockedBy={can.blockedBy}
                effects={place.outcomes}
                onStale={() => reload()}
                onCompleted={(result, label) =>
                  changed(
                    `Completed as “${label}”. ${result.run.status === 'running' ? 'The attempt moved on to its next step.' : `The attempt is ${result.run.status}.`}`,
                    true,
                  )
                }
              />
            ) : (
              <TaskOutcome task={task} users={users} />
            )}
          </section>
          <section aria-label="Customer's answer">
            <h3>Customer’s answer</h3>
            <RecordAnswer
              attemptId={task.attemptId}
              canRecord={can.note && user.role !== 'auditor'}
              reloadSeq={reloadSeq + ownSeq}
              onRecorded={(text) => changed(text)}
            />
          </section>
          <TaskPlaceMap place={place} />
          <section aria-label="Notes">
            <h3>Notes</h3>
            <Notes taskId={task.id} notes={notes} canAdd={can.note} onAdded={() => setCustomerSeq((n) => n + 1)} />
          </section>
        </div>
        <aside className="task-detail__side" aria-label="Customer">
          <CustomerPanel
            customerId={task.customer.id}
            attemptId={task.attemptId}
            users={users}
            canRecord={can.note}
            reloadSeq={customerSeq + reloadSeq}
            onRecorded={() => setCustomerSeq((n) => n + 1)}
          />
        </aside>
      </div>
    </article>
  );
}

function TaskMeta({ task, users }: { task: Task; users: ReadonlyMap<string, DirectoryUser> }) {
  const snoozed = task.followUpAt && new Date(task.followUpAt).getTime() > Date.now();
  const departments = useDepartments();
  return (
    <div className="task-meta">
      <span className={`prio prio--${task.priority}`}>{PRIORITY_LABELS[task.priority] ?? task.priority}</span>
      {task.status !== 'open' && <span className="badge">{humanize(task.status)}</span>}
      {task.status === 'open' && <span className={task.overdue ? 'due due--overdue' : 'due'}>{dueLabel(task.dueAt, task.overdue)}</span>}
      {task.escalation && <span className="tag tag--escalation">Escalation L{task.escalation.level}</span>}
      {snoozed && task.followUpAt && <span className="tag tag--snoozed">Snoozed until {formatDateTime(task.followUpAt)}</span>}
      <span className="muted">For {assigneeLabel(task.assignee, users, departments.name)}</span>
      {task.status === 'open' && (
        <span className="muted" data-testid="detail-claimed-by">
          {task.claimedBy ? `Claimed by ${userName(users, task.claimedBy)}` : 'Unclaimed'}
        </span>
      )}
    </div>
  );
}
