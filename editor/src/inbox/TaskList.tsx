import { errorMessage } from '../api';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { href } from '../router';
import { useSession } from '../session';
import { dueLabel, PRIORITY_LABELS, tierLabel, userName } from './format';
import type { DirectoryUser, InboxView, Task } from './types';
import type { InboxList } from './useInboxList';

interface Props {
  list: InboxList;
  view: InboxView;
  selectedId: string | null;
  openId: string | null;
  users: ReadonlyMap<string, DirectoryUser>;
  playbookName: (key: string) => string;
  filtered: boolean;
  onClearFilters: () => void;
}

const EMPTY: Record<InboxView, [string, string]> = {
  all: ['Nothing waiting for you', 'New tasks show up here the moment a playbook needs you.'],
  mine: ['Nothing waiting for you', 'Tasks you claim, or that are assigned to you by name, show up here.'],
  queue: ['The queue is empty', 'Unclaimed tasks for your role and department show up here.'],
  team: ['Nothing open in your team', 'Tasks of your department show here with who holds them.'],
  snoozed: ['Nothing snoozed', 'Snoozed tasks wait here until their follow-up date.'],
};

export function TaskList({ list, view, selectedId, openId, users, playbookName, filtered, onClearFilters }: Props) {
  if (list.status === 'loading') return <Loading label="Loading tasks…" />;
  if (list.status === 'error') return <ErrorBox title="Could not load the inbox" error={list.error} onRetry={list.retry} />;
  if (list.tasks.length === 0) {
    if (filtered) {
      return (
        <Empty title="No tasks match these filters">
          <button type="button" className="linklike" onClick={onClearFilters}>
            Clear filters
          </button>
        </Empty>
      );
    }
    const [title, body] = EMPTY[view];
    return (
      <div data-testid="inbox-empty">
        <Empty title={title}>{body}</Empty>
      </div>
    );
  }
  return (
    <>
      <ul className="task-list" aria-label="Tasks">
        {list.tasks.map((t) => (
          <li key={t.id}>
            <TaskRow
              task={t}
              selected={t.id === selectedId}
              open={t.id === openId}
              fresh={list.fresh.has(t.id)}
              users={users}
              playbook={playbookName(t.playbookKey)}
            />
          </li>
        ))}
      </ul>
      {list.staleError !== null && (
        <p className="notice notice--error small" role="alert">
          Could not refresh: {errorMessage(list.staleError)}
        </p>
      )}
      {list.nextCursor && (
        <div className="task-list__more">
          <button type="button" className="btn btn--small" onClick={list.loadMore} disabled={list.loadingMore}>
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </>
  );
}

interface RowProps {
  task: Task;
  selected: boolean;
  open: boolean;
  fresh: boolean;
  users: ReadonlyMap<string, DirectoryUser>;
  playbook: string;
}

function TaskRow({ task, selected, open, fresh, users, playbook }: RowProps) {
  const { user } = useSession();
  const classes = ['task-row', selected && 'is-selected', open && 'is-open', fresh && 'is-fresh', task.overdue && 'is-overdue'].filter(Boolean).join(' ');
  const claimed = task.claimedBy === null ? null : task.claimedBy === user.id ? 'You' : userName(users, task.claimedBy);
  const assigned = task.assignee.userId === null ? null : task.assignee.userId === user.id ? 'you' : userName(users, task.assignee.userId);
  const snoozedUntil = task.followUpAt && new Date(task.followUpAt).getTime() > Date.now() ? task.followUpAt : null;
  return (
    <a
      className={classes}
      href={href({ name: 'inbox', taskId: task.id })}
      data-testid="inbox-row"
      data-task-id={task.id}
      data-fresh={fresh ? 'true' : undefined}
      aria-current={open ? 'true' : undefined}
    >
      <div className="task-row__top">
        <span className="task-row__title">{task.title}</span>
        <span className={`prio prio--${task.priority}`}>{PRIORITY_LABELS[task.priority] ?? task.priority}</span>
      </div>
      <div className="task-row__customer">
        <span>{task.customer.name ?? task.customer.id}</span>
        {task.customer.grade && <span className={`grade grade--${task.customer.grade}`}>{tierLabel(task.customer.grade)}</span>}
        {fresh && <span className="tag tag--new">New</span>}
      </div>
      <div className="task-row__meta">
        <span className="task-row__playbook" title={task.playbookKey}>
          {playbook}
        </span>
        {task.status === 'open' ? (
          <span className={task.overdue ? 'due due--overdue' : 'due'} title={task.dueAt ? formatDateTime(task.dueAt) : undefined}>
            {dueLabel(task.dueAt, task.overdue)}
          </span>
        ) : (
          <span className="due">{task.status}</span>
        )}
        {task.escalation && <span className="tag tag--escalation">Escalation L{task.escalation.level}</span>}
        {snoozedUntil && <span className="tag tag--snoozed">Snoozed</span>}
        <span className="task-row__claim" data-testid="row-holder">
          {claimed ? `Claimed by ${claimed}` : assigned ? `Assigned to ${assigned}` : 'Unclaimed'}
        </span>
      </div>
    </a>
  );
}
