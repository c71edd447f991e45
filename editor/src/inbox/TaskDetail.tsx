import { useState } from 'react';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime, humanize } from '../format';
import { useSession } from '../session';
import { CompletionForm } from './CompletionForm';
import { CustomerPanel } from './CustomerPanel';
import { EscalationChain } from './EscalationChain';
import { assigneeLabel, dueLabel, PRIORITY_LABELS, userName } from './format';
import { inboxApi } from './inboxApi';
import { Notes } from './Notes';
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
}

type Notice = { kind: 'ok' | 'error'; text: string } | null;

export function TaskDetail({ taskId, reloadSeq, directory, playbookName, onClose, onChanged }: Props) {
  const { user } = useSession();
  const [ownSeq, setOwnSeq] = useState(0);
  const [customerSeq, setCustomerSeq] = useState(0);
  const [notice, setNotice] = useState<Notice>(null);
  const detail = useQuietApi((signal) => inboxApi.task(taskId, signal), taskId, reloadSeq + ownSeq);

  const reload = () => setOwnSeq((n) => n + 1);
  const changed = (text: string) => {
    setNotice({ kind: 'ok', text });
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

  const { task, notes, escalationChain } = detail.data;
  const users = directory.byId;
  const can = abilities(user, task, users);

  return (
    <article className="task-detail" data-testid="task-detail" aria-labelledby={`task-title-${task.id}`}>
      <header className="task-detail__head">
        <div className="task-detail__heading">
          <div className="task-detail__eyebrow">
            <span title={task.playbookKey}>{playbookName(task.playbookKey)}</span> · {task.customer.name ?? task.customer.id}
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
        </div>
      )}
      <div className="task-detail__body">
        <div className="task-detail__main">
          <section aria-label="Instructions">
            <h3>Instructions</h3>
            <p className="instructions">{task.instructions || <span className="muted">No instructions.</span>}</p>
          </section>
          {escalationChain.length > 0 && (
            <section aria-label="Escalation chain">
              <h3>Escalation chain</h3>
              <EscalationChain chain={escalationChain} currentId={task.id} users={users} />
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
                onStale={() => reload()}
                onCompleted={(result, label) =>
                  changed(
                    `Completed as “${label}”. ${result.run.status === 'running' ? 'The run moved on to its next step.' : `The run is ${result.run.status}.`}`,
                  )
                }
              />
            ) : (
              <TaskOutcome task={task} users={users} />
            )}
          </section>
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
  return (
    <div className="task-meta">
      <span className={`prio prio--${task.priority}`}>{PRIORITY_LABELS[task.priority] ?? task.priority}</span>
      {task.status !== 'open' && <span className="badge">{humanize(task.status)}</span>}
      {task.status === 'open' && <span className={task.overdue ? 'due due--overdue' : 'due'}>{dueLabel(task.dueAt, task.overdue)}</span>}
      {task.escalation && <span className="tag tag--escalation">Escalation L{task.escalation.level}</span>}
      {snoozed && task.followUpAt && <span className="tag tag--snoozed">Snoozed until {formatDateTime(task.followUpAt)}</span>}
      <span className="muted">For {assigneeLabel(task.assignee, users)}</span>
      {task.status === 'open' && (
        <span className="muted" data-testid="detail-claimed-by">
          {task.claimedBy ? `Claimed by ${userName(users, task.claimedBy)}` : 'Unclaimed'}
        </span>
      )}
    </div>
  );
}
