import { formatDateTime } from '../format';
import { href } from '../router';
import { useDepartments } from '../useDepartments';
import { assigneeLabel } from './format';
import type { DirectoryUser, Task } from './types';

/**
 * The original task and each escalation raised for it: which SLA was missed, whose it was and
 * when, and who got the escalation.
 */
export function EscalationChain({ chain, currentId, users }: { chain: Task[]; currentId: string; users: ReadonlyMap<string, DirectoryUser> }) {
  const departments = useDepartments();
  return (
    <ol className="chain" data-testid="escalation-chain">
      {chain.map((t) => (
        <li key={t.id} className={t.id === currentId ? 'chain__item is-current' : 'chain__item'}>
          <div className="chain__head">
            <span className={t.escalation ? 'tag tag--escalation' : 'tag'}>{t.escalation ? `Escalation L${t.escalation.level}` : 'Original task'}</span>
            <a href={href({ name: 'inbox', taskId: t.id })}>{t.title}</a>
            <span className="chain__status">{t.status}</span>
          </div>
          {t.escalation ? (
            <p className="small">
              SLA missed{' '}
              <time dateTime={t.escalation.slaMissedAt ?? undefined}>
                {t.escalation.slaMissedAt ? formatDateTime(t.escalation.slaMissedAt) : 'at an unknown time'}
              </time>{' '}
              while with <strong>{assigneeLabel(t.escalation.assignee, users, departments.name)}</strong>; escalated to{' '}
              <strong>{assigneeLabel(t.assignee, users, departments.name)}</strong>.
            </p>
          ) : (
            <p className="small">
              Assigned to <strong>{assigneeLabel(t.assignee, users, departments.name)}</strong>
              {t.dueAt && <>, due {formatDateTime(t.dueAt)}</>}.
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
