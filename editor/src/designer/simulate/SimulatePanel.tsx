import { useState } from 'react';
import type { FormData } from '../../../../playbooks/form';
import type { Json, TaskSpec } from '../../../../playbooks/runtime/types';
import type { PlaybookGraph } from '../../types';
import { useDepartments } from '../../useDepartments';
import { departmentOptions, RESPONSE_KIND_OPTIONS } from '../form/options';
import {
  autoPlay,
  DEFAULT_CUSTOMER,
  expectedResponses,
  isFinished,
  openTasks,
  simulate,
  startSimulation,
  startVariables,
  upcomingTimer,
  type SimCustomer,
  type Simulation,
} from './engine';
import { Timeline } from './Timeline';

interface Props {
  graph: PlaybookGraph;
  sim: Simulation | null;
  stale: boolean;
  problemCount: number;
  onChange(sim: Simulation | null): void;
  onFocus(nodeId: string): void;
}

const GRADES: SimCustomer['grade'][] = ['core', 'high_potential', 'ordinary', 'churn_signs'];

/** Run the draft in the browser: answer tasks, speak for the customer, let time pass, watch the path. */
export function SimulatePanel({ graph, sim, stale, problemCount, onChange, onFocus }: Props) {
  const [customer, setCustomer] = useState<SimCustomer>(DEFAULT_CUSTOMER);
  const departments = useDepartments();
  const [error, setError] = useState<string | null>(null);
  const [vars, setVars] = useState<Record<string, Json>>({});
  const declared = startVariables(graph);

  const start = (auto: boolean) => {
    const started = startSimulation(graph, { customer, vars });
    if (!started.ok) {
      const refusedStart = started.problems.length > 0 && started.problems.every((p) => p.path[0] === 'variables');
      return setError(
        refusedStart
          ? `This start would be refused: ${started.problems.map((p) => p.message).join('; ')}`
          : `Fix the ${started.problems.length} problem(s) first: the simulator runs what would be published.`,
      );
    }
    setError(null);
    onChange(auto ? autoPlay(started.sim) : started.sim);
  };

  if (!sim) {
    return (
      <section className="panel__section" aria-label="Simulate">
        <h2 className="panel__title">Simulate</h2>
        <p className="muted small">Play a recovery attempt through this draft on a virtual clock: nothing is sent and no server is involved.</p>
        <div className="sim-customer">
          <label className="field">
            <span>Customer grade</span>
            <select value={customer.grade} onChange={(e) => setCustomer({ ...customer, grade: e.target.value as SimCustomer['grade'] })}>
              {GRADES.map((g) => (
                <option key={g} value={g}>
                  {g.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Customer value</span>
            <input type="number" min={0} value={customer.value} onChange={(e) => setCustomer({ ...customer, value: e.target.valueAsNumber || 0 })} />
          </label>
          <label className="field">
            <span>Department</span>
            <select value={customer.department} onChange={(e) => setCustomer({ ...customer, department: e.target.value })}>
              {departmentOptions(departments.list)
                .filter((d) => d.value !== 'customer')
                .map((d) => (
                  <option key={d.value} value={d.value}>
                    {d.label}
                  </option>
                ))}
            </select>
          </label>
        </div>
        {declared.length > 0 && <StartVariableInputs declared={declared} vars={vars} onChange={setVars} />}
        {(error || problemCount > 0) && (
          <p className="field__error" role="alert">
            {error ?? `Fix the ${problemCount} problem(s) first.`}
          </p>
        )}
        <div className="button-row">
          <button type="button" className="btn btn--primary btn--small" disabled={problemCount > 0} onClick={() => start(false)}>
            Start simulation
          </button>
          <button
            type="button"
            className="btn btn--small"
            disabled={problemCount > 0}
            onClick={() => start(true)}
            title="Every task takes its first outcome; the customer stays silent"
          >
            Auto-play
          </button>
        </div>
      </section>
    );
  }

  const finished = isFinished(sim);
  const timer = upcomingTimer(sim);
  const expected = expectedResponses(sim);
  const day = Math.floor((sim.now - sim.startedAt) / 86_400_000);
  return (
    <section className="panel__section sim" aria-label="Simulate">
      <div className="panel__subhead">
        <h2 className="panel__title">
          Day {day}{' '}
          {finished ? (
            <span className="badge badge--ok" data-testid="sim-outcome">
              Ended: {sim.state.outcome?.outcome.replace(/_/g, ' ')}
            </span>
          ) : (
            <span className="badge">running</span>
          )}
        </h2>
        <span className="button-row">
          <button type="button" className="btn btn--small" onClick={() => start(false)}>
            Restart
          </button>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => onChange(null)}>
            Stop
          </button>
        </span>
      </div>
      {stale && <p className="ds-notice ds-notice--warn small">The playbook changed since this simulation started. Restart to simulate the new version.</p>}
      {!finished && (
        <>
          {openTasks(sim).map((t) => (
            <TaskCard
              key={t.taskKey}
              task={t}
              name={sim.plan.nodes[t.nodeId]?.name ?? t.nodeId}
              onFocus={() => onFocus(t.nodeId)}
              onDone={(outcome, form) => onChange(simulate(sim, { type: 'complete', taskKey: t.taskKey, outcome, form }))}
            />
          ))}
          <h3>The customer answers</h3>
          <div className="chips">
            {RESPONSE_KIND_OPTIONS.map((k) => (
              <button
                key={k.value}
                type="button"
                className={expected.includes(k.value) ? 'btn btn--small btn--primary' : 'btn btn--small'}
                onClick={() => onChange(simulate(sim, { type: 'respond', kind: k.value }))}
              >
                {k.label}
              </button>
            ))}
          </div>
          <div className="button-row">
            <button type="button" className="btn btn--small" disabled={!timer} onClick={() => onChange(simulate(sim, { type: 'advance' }))}>
              {timer ? `Let time pass → day ${timer.day} (${timer.purpose.replace(/_/g, ' ')})` : 'Nothing waits for time'}
            </button>
            <button
              type="button"
              className="btn btn--small"
              onClick={() => onChange(autoPlay(sim))}
              title="Every task takes its first outcome; the customer stays silent"
            >
              Auto-play to the end
            </button>
          </div>
        </>
      )}
      <Timeline sim={sim} onFocus={onFocus} />
    </section>
  );
}

function TaskCard({ task, name, onFocus, onDone }: { task: TaskSpec; name: string; onFocus(): void; onDone(outcome: string, form: FormData): void }) {
  const [form, setForm] = useState<FormData>({});
  const fields = task.form.filter((f) => f.type === 'choice' || f.type === 'text' || f.type === 'number' || f.type === 'money' || f.type === 'boolean');
  return (
    <div className="sim-task" role="group" aria-label={`Task: ${task.title}`}>
      <div className="sim-task__head">
        <button type="button" className="linklike" onClick={onFocus}>
          {name}
        </button>
        <span className="small muted">{task.assignee.role.replace(/_/g, ' ')}</span>
      </div>
      <div className="sim-task__title">{task.title}</div>
      {fields.map((f) => (
        <label key={f.key} className="field field--compact">
          <span>{f.label}</span>
          {f.type === 'choice' ? (
            <select value={String(form[f.key] ?? '')} onChange={(e) => setForm({ ...form, [f.key]: e.target.value || null })}>
              <option value="">—</option>
              {(f.options ?? []).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : f.type === 'boolean' ? (
            <input type="checkbox" checked={form[f.key] === true} onChange={(e) => setForm({ ...form, [f.key]: e.target.checked })} />
          ) : (
            <input
              type={f.type === 'number' || f.type === 'money' ? 'number' : 'text'}
              value={String(form[f.key] ?? '')}
              onChange={(e) => setForm({ ...form, [f.key]: f.type === 'number' || f.type === 'money' ? e.target.valueAsNumber : e.target.value })}
            />
          )}
        </label>
      ))}
      <div className="chips">
        {task.outcomes.map((o) => (
          <button key={o.key} type="button" className="btn btn--small" onClick={() => onDone(o.key, form)}>
            {o.label}
          </button>
        ))}
      </div>
    </div>
  );
}

/** The start's run variables, typed as declared: a list of values is a select, a range bounds the number. */
function StartVariableInputs({
  declared,
  vars,
  onChange,
}: {
  declared: ReturnType<typeof startVariables>;
  vars: Record<string, Json>;
  onChange(vars: Record<string, Json>): void;
}) {
  const set = (key: string, value: Json | undefined) => {
    const next = { ...vars };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <fieldset className="sim-customer">
      <legend>Start variables</legend>
      {declared.map((v) => (
        <label key={v.key} className="field">
          <span>
            {v.key}
            {v.required ? ' *' : ''}
          </span>
          {v.type === 'boolean' ? (
            <input type="checkbox" checked={vars[v.key] === true} onChange={(e) => set(v.key, e.target.checked)} />
          ) : v.type === 'number' ? (
            <input
              type="number"
              min={v.min}
              max={v.max}
              value={typeof vars[v.key] === 'number' ? String(vars[v.key]) : ''}
              onChange={(e) => set(v.key, e.target.value === '' ? undefined : e.target.valueAsNumber)}
            />
          ) : v.values ? (
            <select value={typeof vars[v.key] === 'string' ? String(vars[v.key]) : ''} onChange={(e) => set(v.key, e.target.value || undefined)}>
              <option value="">—</option>
              {v.values.map((value) => (
                <option key={value} value={value}>
                  {value.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          ) : (
            <input type="text" value={typeof vars[v.key] === 'string' ? String(vars[v.key]) : ''} onChange={(e) => set(v.key, e.target.value || undefined)} />
          )}
        </label>
      ))}
    </fieldset>
  );
}
