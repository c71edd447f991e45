import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api';
import { Loading } from '../components/Status';
import { humanize } from '../format';
import { href } from '../router';
import { useApi } from '../useApi';
import { customersApi, type PlaybookOverviewItem, type StartedAttempt } from './customersApi';
import { problemsByVariable, startValues, variableHint, type StartDraft, type StartProblems, type StartVariable } from './startVariables';

interface Props {
  customerId: string;
  customerName: string;
  /** Every playbook by name; only published, non-archived ones are offered. */
  playbooks: readonly PlaybookOverviewItem[];
  onStarted: () => void;
}

type Outcome = { kind: 'started'; attempt: StartedAttempt; playbookName: string } | { kind: 'running'; attemptId: string | null; message: string } | null;

/**
 * Start a recovery attempt from the customer file: a published playbook by name, then a form for
 * the variables its start step declares. The server checks them (type, list, range, required) and
 * its problems are shown next to their fields; a 409 says the playbook already runs for them.
 */
export function StartAttempt({ customerId, customerName, playbooks, onStarted }: Props) {
  const startable = useMemo(() => playbooks.filter((p) => p.latestVersion !== null && p.archivedAt === null), [playbooks]);
  const [key, setKey] = useState('');
  const chosen = startable.find((p) => p.key === key) ?? null;
  const version = chosen?.latestVersion ?? null;
  const variables = useApi(
    (signal) => (chosen && version !== null ? customersApi.startVariables(chosen.key, version, signal) : Promise.resolve([])),
    [chosen?.key, version],
  );
  const [draft, setDraft] = useState<StartDraft>({});
  const [problems, setProblems] = useState<StartProblems>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // One key per logical start: a retry of the same values after a lost answer starts one attempt.
  const idempotency = useRef<{ body: string; key: string } | null>(null);

  useEffect(() => {
    setDraft({});
    setProblems({});
    setFailure(null);
  }, [key]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen || version === null || variables.status !== 'ok') return;
    const body = { playbookKey: chosen.key, version, customerId, variables: startValues(variables.data, draft) };
    const text = JSON.stringify(body);
    if (idempotency.current?.body !== text) idempotency.current = { body: text, key: crypto.randomUUID() };
    setBusy(true);
    setProblems({});
    setFailure(null);
    setOutcome(null);
    try {
      const attempt = await customersApi.start(body, idempotency.current.key);
      setOutcome({ kind: 'started', attempt, playbookName: chosen.name });
      setKey('');
      idempotency.current = null;
      onStarted();
    } catch (err) {
      // A refusal is final for these values: the next try (even the same values, later) is a new start.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) idempotency.current = null;
      if (err instanceof ApiError && err.status === 400) {
        setProblems(problemsByVariable(err.details));
      } else if (err instanceof ApiError && err.status === 409) {
        const attemptId = (err.details as { attemptId?: unknown } | undefined)?.attemptId;
        setOutcome({
          kind: 'running',
          attemptId: typeof attemptId === 'string' ? attemptId : null,
          message: `${chosen.name} is already running for ${customerName}.`,
        });
      } else {
        setFailure(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card customer-start" aria-labelledby="start-heading" data-testid="start-attempt">
      <h2 id="start-heading">Start a recovery attempt</h2>
      {outcome?.kind === 'started' && (
        <p className="customer-start__done" role="status" data-testid="start-done">
          Started {outcome.playbookName} for {customerName}. <a href={href({ name: 'auditAttempt', attemptId: outcome.attempt.id })}>Open the attempt</a>
        </p>
      )}
      {startable.length === 0 ? (
        <p className="muted small">No published playbook to start.</p>
      ) : (
        <form className="customer-start__form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="start-playbook">Playbook</label>
            <select id="start-playbook" value={key} onChange={(e) => setKey(e.target.value)} disabled={busy}>
              <option value="">Choose a playbook…</option>
              {startable.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name} (version {p.latestVersion})
                </option>
              ))}
            </select>
          </div>
          {chosen && variables.status === 'loading' && <Loading label="Loading what the playbook asks for…" />}
          {chosen && variables.status === 'error' && (
            <p className="field__error" role="alert">
              Could not load the playbook: {errorMessage(variables.error)}
            </p>
          )}
          {chosen && variables.status === 'ok' && (
            <>
              {variables.data.length === 0 && <p className="muted small">This playbook asks for nothing at the start.</p>}
              {variables.data.map((v) => (
                <VariableField
                  key={v.key}
                  variable={v}
                  value={draft[v.key] ?? ''}
                  problems={problems[v.key]}
                  disabled={busy}
                  onChange={(value) => setDraft((d) => ({ ...d, [v.key]: value }))}
                />
              ))}
              {problems[''] && (
                <ul className="field__error" role="alert">
                  {problems[''].map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              )}
              {outcome?.kind === 'running' && (
                <p className="field__error" role="alert" data-testid="start-conflict">
                  {outcome.message} {outcome.attemptId && <a href={href({ name: 'auditAttempt', attemptId: outcome.attemptId })}>Open the running attempt</a>}
                </p>
              )}
              {failure && (
                <p className="field__error" role="alert">
                  {failure}
                </p>
              )}
              <div>
                <button type="submit" className="btn btn--primary" disabled={busy}>
                  {busy ? 'Starting…' : `Start ${chosen.name}`}
                </button>
              </div>
            </>
          )}
        </form>
      )}
    </section>
  );
}

interface FieldProps {
  variable: StartVariable;
  value: string;
  problems: string[] | undefined;
  disabled: boolean;
  onChange: (value: string) => void;
}

/** One start variable: a select for a list or a flag, a number input with its range, or text. */
function VariableField({ variable: v, value, problems, disabled, onChange }: FieldProps) {
  const id = `start-var-${v.key}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: v.key,
    value,
    disabled,
    'aria-invalid': problems ? true : undefined,
    'aria-describedby': problems ? `${hintId} ${errorId}` : hintId,
    'aria-required': v.required || undefined,
    'data-testid': `start-var-${v.key}`,
  };
  let control;
  if (v.type === 'boolean' || v.values) {
    const options =
      v.type === 'boolean'
        ? [
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]
        : (v.values ?? []).map((x) => ({ value: x, label: humanize(x) }));
    control = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">{v.required ? 'Choose…' : 'Not given'}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (v.type === 'number') {
    control = <input {...common} type="number" inputMode="decimal" step="any" min={v.min} max={v.max} onChange={(e) => onChange(e.target.value)} />;
  } else {
    control = <input {...common} type="text" maxLength={2000} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {humanize(v.key)}
        {v.required && (
          <span className="field__required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {control}
      <span id={hintId} className="muted small">
        {variableHint(v)}
        {v.required ? ' · required' : ''}
      </span>
      {problems && (
        <p id={errorId} className="field__error" role="alert">
          {problems.join('; ')}
        </p>
      )}
    </div>
  );
}
