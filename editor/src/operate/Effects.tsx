import { humanize } from '../format';
import type { OperationEffects, StepMigration } from './types';
import { fullMoment, relative } from './words';

/**
 * What an operation did (or, in a dry run, would do), in the runtime's own account: the operator sees
 * every task, timer and message it touched and where the attempt is afterwards.
 */
export function EffectsView({ effects, heading = 'What it did' }: { effects: OperationEffects; heading?: string }) {
  const { after } = effects;
  const lines: { label: string; items: string[] }[] = [
    { label: 'Steps left', items: effects.stepsLeft.map((s) => s.name || s.nodeId) },
    { label: 'Steps entered', items: effects.stepsEntered.map((s) => s.name || s.nodeId) },
    { label: 'Tasks cancelled', items: effects.tasksCancelled.map((t) => t.title) },
    {
      label: 'Tasks created',
      items: effects.tasksCreated.map((t) => `${t.title} (${t.userId ?? humanize(t.role)}${t.dueAt ? `, due ${fullMoment(t.dueAt)}` : ''})`),
    },
    { label: 'Timers cancelled', items: effects.timersCancelled.map((t) => humanize(t.purpose)) },
    { label: 'Timers started', items: effects.timersStarted.map((t) => `${humanize(t.purpose)}: fires ${fullMoment(t.firesAt)} (${relative(t.firesAt)})`) },
    { label: 'Messages sent', items: effects.messagesSent.map((m) => `${humanize(m.channel)} “${m.template}” to ${m.recipient}`) },
  ];
  const shown = lines.filter((l) => l.items.length > 0);
  return (
    <section className="op-effects" aria-label={heading}>
      <h3>{heading}</h3>
      {shown.length === 0 && <p className="muted small">No task, timer or message changed.</p>}
      <dl className="op-effects__list">
        {shown.map((l) => (
          <div key={l.label}>
            <dt>{l.label}</dt>
            <dd>
              <ul>
                {l.items.map((item, i) => (
                  <li key={i}>{item}</li>
                ))}
              </ul>
            </dd>
          </div>
        ))}
        <div>
          <dt>Afterwards</dt>
          <dd>
            {after.status === 'completed' ? (
              <>Ended{after.outcome ? ` with outcome “${humanize(after.outcome)}”` : ''}</>
            ) : (
              <>
                At {after.activeSteps.map((s) => s.name || s.nodeId).join(', ') || 'no step'}
                {after.nextTimer && (
                  <>
                    ; next timer {humanize(after.nextTimer.purpose).toLowerCase()} {fullMoment(after.nextTimer.firesAt)}
                  </>
                )}
              </>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}

const ACTION_WORDS: Record<StepMigration['action'], string> = { kept: 'Kept', re_entered: 'Re-entered', refused: 'Refused' };

/** Per step of a migration: where it goes and why (same id kept, re-entered in the new plan, refused). */
export function StepMapping({ steps }: { steps: StepMigration[] }) {
  if (steps.length === 0) return null;
  return (
    <table className="table op-table--compact">
      <caption className="sr-only">Steps of this attempt</caption>
      <thead>
        <tr>
          <th scope="col">Step now</th>
          <th scope="col">After</th>
          <th scope="col">How</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr key={s.stepId} className={s.action === 'refused' ? 'is-refused' : undefined}>
            <td>{s.fromName || s.fromNodeId}</td>
            <td>{s.toName ?? s.toNodeId ?? '—'}</td>
            <td>
              <span className={s.action === 'refused' ? 'badge op-badge--bad' : 'badge'}>{ACTION_WORDS[s.action]}</span> <span className="small">{s.why}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
