import { useId, useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { canReadAnalytics } from './access';
import { ExperimentsFigure } from './ExperimentsFigure';
import { FailuresFigure } from './FailuresFigure';
import { monthsBefore, thisMonth } from './numbers';
import { OutcomesFigure } from './OutcomesFigure';
import { RatesFigure } from './RatesFigure';
import './analytics.css';

/**
 * The retention dashboard: churn and win-back rates month by month (by reason, type, grade,
 * department), what each playbook and offer tier wins back, the failure audit and the experiment
 * arms. Department heads see their department's customers; the server applies the rule.
 */
export function AnalyticsPage() {
  const id = useId();
  const { user } = useSession();
  const [to, setTo] = useState(thisMonth());
  const [from, setFrom] = useState(monthsBefore(thisMonth(), 11));
  const [playbook, setPlaybook] = useState('');
  const playbooks = useApi((signal) => api.listPlaybooks(signal), []);
  // A range the server would refuse is not sent: the last good one stays on screen.
  const [applied, setApplied] = useState({ from, to });
  const rangeProblem = !from || !to ? 'Choose both months.' : from > to ? '“From” is after “to”.' : null;

  if (!canReadAnalytics(user.role))
    return (
      <div className="page page--narrow">
        <h1>Retention dashboard</h1>
        <p>Your role does not include the retention figures. Ops managers, department heads, admins and auditors see them.</p>
      </div>
    );

  const change = (next: { from: string; to: string }) => {
    setFrom(next.from);
    setTo(next.to);
    if (next.from && next.to && next.from <= next.to) setApplied(next);
  };

  return (
    <div className="page analytics">
      <div className="page__header">
        <div>
          <h1>Retention dashboard</h1>
          <p className="muted">
            {user.role === 'department_head' ? 'Customers of your department, ' : 'Every department, '}
            month by month (months are UTC). Definitions are in the README under “Measurement”.
          </p>
        </div>
      </div>
      <form className="analytics__filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label className="field" htmlFor={`${id}-from`}>
          <span>From month</span>
          <input id={`${id}-from`} type="month" value={from} max={to} onChange={(e) => change({ from: e.target.value, to })} />
        </label>
        <label className="field" htmlFor={`${id}-to`}>
          <span>To month</span>
          <input id={`${id}-to`} type="month" value={to} min={from} onChange={(e) => change({ from, to: e.target.value })} />
        </label>
        <label className="field" htmlFor={`${id}-playbook`}>
          <span>Playbook (outcomes and experiments)</span>
          <select id={`${id}-playbook`} value={playbook} onChange={(e) => setPlaybook(e.target.value)}>
            <option value="">All playbooks</option>
            {playbooks.status === 'ok' &&
              playbooks.data.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        {rangeProblem && (
          <p className="analytics__problem" role="alert">
            {rangeProblem}
          </p>
        )}
      </form>
      <RatesFigure filters={applied} />
      <OutcomesFigure filters={applied} playbook={playbook} />
      <ExperimentsFigure playbook={playbook} />
      <FailuresFigure filters={applied} />
    </div>
  );
}
