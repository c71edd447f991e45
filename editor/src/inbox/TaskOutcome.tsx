import { formatDateTime } from '../format';
import { userName } from './format';
import type { DirectoryUser, FormValue, Task } from './types';

function show(value: FormValue | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/** A closed task: its outcome, who closed it, when, and what they filled in. */
export function TaskOutcome({ task, users }: { task: Task; users: ReadonlyMap<string, DirectoryUser> }) {
  const outcome = task.outcomes.find((o) => o.key === task.outcome);
  const data = task.formData ?? {};
  return (
    <div className="outcome" data-testid="task-outcome">
      <p>
        <span className={task.status === 'completed' ? 'badge badge--ok' : 'badge'}>{task.status === 'completed' ? 'Completed' : task.status}</span>{' '}
        {outcome && (
          <>
            as <strong>{outcome.label}</strong>
          </>
        )}
        {task.completedBy && <> by {userName(users, task.completedBy)}</>}
        {task.closedAt && <span className="muted"> · {formatDateTime(task.closedAt)}</span>}
      </p>
      {task.form.length > 0 && (
        <dl className="kv">
          {task.form.map((f) => {
            const raw = data[f.key];
            const label = f.type === 'choice' ? (f.options?.find((o) => o.value === raw)?.label ?? show(raw)) : show(raw);
            return (
              <div className="kv__row" key={f.key}>
                <dt>{f.label}</dt>
                <dd className="kv__text">{label}</dd>
              </div>
            );
          })}
        </dl>
      )}
    </div>
  );
}
