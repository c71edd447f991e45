import { ValueView } from '../components/ValueView';
import { useDepartments } from '../useDepartments';
import type { Directory } from '../inbox/useDirectory';
import { personName } from './RunResults';
import { formatMoment, later } from './timeFormat';
import type { OpenTask, Snapshot } from './types';

interface Props {
  snapshot: Snapshot;
  isLast: boolean;
  runEnded: boolean;
  nodeName: (id: string) => string;
  directory: Directory;
}

function assigneeText(task: OpenTask, directory: Directory, departmentName: (id: string) => string): string {
  const a = task.assignee;
  if (a.userId) return personName(directory, a.userId);
  return `${a.role.replace(/_/g, ' ')} queue${a.department ? ` · ${departmentName(a.department)}` : ''}`;
}

/** The run's state at the selected moment: where it waited, what was open, what it knew. */
export function MomentPanel({ snapshot, isLast, runEnded, nodeName, directory }: Props) {
  const { customer, ...variables } = snapshot.variables;
  const departments = useDepartments();
  return (
    <section className="card moment" aria-labelledby="moment-title" data-testid="moment">
      <div className="moment__head">
        <h2 id="moment-title">State at this moment</h2>
        <span className="small muted">{formatMoment(snapshot.at)}</span>
      </div>
      <div className="moment__grid">
        <div>
          <h3>Active steps</h3>
          <ul className="moment__list" data-testid="active-steps">
            {snapshot.activeNodeIds.length === 0 && <li className="muted">{isLast && runEnded ? 'None: the run had ended' : 'None'}</li>}
            {snapshot.activeNodeIds.map((id) => (
              <li key={id} className="moment__active">
                <span className="moment__dot" aria-hidden="true" />
                {nodeName(id)}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Open tasks</h3>
          <ul className="moment__list" data-testid="open-tasks">
            {snapshot.openTasks.length === 0 && <li className="muted">None</li>}
            {snapshot.openTasks.map((t) => (
              <li key={t.taskKey}>
                <span className="strong">{t.title}</span>
                <div className="small muted">for {assigneeText(t, directory, departments.name)}</div>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Next timer</h3>
          <p data-testid="next-timer">
            {snapshot.nextTimerAt ? (
              <>
                {formatMoment(snapshot.nextTimerAt)}
                <span className="small muted"> ({later(snapshot.at, snapshot.nextTimerAt)})</span>
              </>
            ) : (
              <span className="muted">No timer running</span>
            )}
          </p>
        </div>
      </div>
      <h3>Variables</h3>
      <div data-testid="variables">
        <ValueView value={variables} />
      </div>
      {customer !== undefined && (
        <details className="moment__customer">
          <summary className="small">Customer as the run saw them</summary>
          <ValueView value={customer} />
        </details>
      )}
    </section>
  );
}
