import { useRef, useState } from 'react';
import { ApiError } from '../api';
import { checkField, FieldInput, initialDraft, type DraftValue } from './FieldInput';
import { inboxApi } from './inboxApi';
import { actionError } from './permissions';
import { humanize } from '../format';
import type { CompleteResult, DirectoryUser, FormValue, Task, TaskPlace } from './types';

interface Props {
  task: Task;
  users: ReadonlyMap<string, DirectoryUser>;
  /** Set when the person may not complete the task; the form shows but stays read-only. */
  blockedBy: string | null;
  onCompleted: (result: CompleteResult, outcomeLabel: string) => void;
  /** What each outcome leads to: one that ends the attempt asks for confirmation first. */
  effects?: TaskPlace['outcomes'];
  /** The task changed under us (someone else completed it): reload it. */
  onStale: () => void;
}

interface ServerProblem {
  code: string;
  message: string;
  path: (string | number)[];
}

function problemsOf(e: ApiError): ServerProblem[] {
  const problems = (e.details as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(problems) ? (problems as ServerProblem[]) : [];
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, and the app may be served over plain http. */
function newRequestKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The task's form, generated from `task.form`, with one submit button per outcome. */
export function CompletionForm({ task, users, blockedBy, effects = [], onCompleted, onStale }: Props) {
  const [values, setValues] = useState<Record<string, DraftValue>>(() => Object.fromEntries(task.form.map((f) => [f.key, initialDraft(f)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  /** An outcome that ends the attempt, pressed once: it waits for "Yes, end it". */
  const [confirming, setConfirming] = useState<{ key: string; label: string } | null>(null);
  const effectOf = (key: string) => effects.find((e) => e.key === key);
  const disabled = blockedBy !== null || busy !== null;
  /** The key of a completion whose answer never came: pressing the same outcome again reuses it. */
  const unanswered = useRef<{ request: string; key: string } | null>(null);

  function set(key: string, value: DraftValue) {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _dropped, ...rest }) => rest);
  }

  async function submit(outcome: string, label: string, confirmed = false) {
    const form: Record<string, FormValue> = {};
    const found: Record<string, string> = {};
    for (const field of task.form) {
      const checked = checkField(field, values[field.key] ?? initialDraft(field));
      if (checked.error) found[field.key] = checked.error;
      else if (checked.value !== undefined) form[field.key] = checked.value;
    }
    setErrors(found);
    setGeneral([]);
    if (Object.keys(found).length > 0) {
      // The rationale the step asks for (its required fields) comes first, also before a confirmation.
      document.getElementById(`complete-${task.id}-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    if (!confirmed && effectOf(outcome)?.endsAttempt) return setConfirming({ key: outcome, label });
    setConfirming(null);
    setBusy(outcome);
    try {
      const request = JSON.stringify({ outcome, form });
      const key = unanswered.current?.request === request ? unanswered.current.key : newRequestKey();
      unanswered.current = { request, key };
      const result = await inboxApi.complete(task.id, outcome, form, key);
      unanswered.current = null;
      onCompleted(result, label);
    } catch (e) {
      setBusy(null);
      // Only an answer that never came (network, 503) may have been applied; anything else was refused.
      if (!(e instanceof ApiError && (e.status === 0 || e.status >= 500))) unanswered.current = null;
      if (e instanceof ApiError && e.status === 400) {
        const byField: Record<string, string> = {};
        const other: string[] = [];
        for (const p of problemsOf(e)) {
          const [root, key] = p.path;
          if (root === 'form' && typeof key === 'string' && task.form.some((f) => f.key === key)) byField[key] = p.message;
          else other.push(p.message);
        }
        setErrors(byField);
        setGeneral(other.length > 0 ? other : Object.keys(byField).length === 0 ? [e.message] : []);
        return;
      }
      setGeneral([actionError(e, users)]);
      if (e instanceof ApiError && e.status === 409) onStale();
    }
  }

  return (
    <form className="complete-form" onSubmit={(e) => e.preventDefault()} noValidate aria-label="Complete the task">
      {blockedBy && <p className="notice notice--info">{blockedBy}</p>}
      {task.form.length === 0 && <p className="muted small">No fields to fill in; pick the outcome.</p>}
      {task.form.map((field) => (
        <FieldInput
          key={field.key}
          field={field}
          idPrefix={`complete-${task.id}`}
          value={values[field.key] ?? initialDraft(field)}
          error={errors[field.key]}
          disabled={disabled}
          onChange={(v) => set(field.key, v)}
        />
      ))}
      {general.length > 0 && (
        <div className="notice notice--error" role="alert">
          {general.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      {confirming && (
        <div className="notice notice--warn" role="alertdialog" aria-labelledby={`confirm-${task.id}`} data-testid="confirm-end">
          <p id={`confirm-${task.id}`}>
            “{confirming.label}” ends the recovery attempt
            {effectOf(confirming.key)?.attemptOutcome ? ` as ${humanize(effectOf(confirming.key)?.attemptOutcome ?? '')}` : ''}. This cannot be undone.
          </p>
          <button
            type="button"
            className="btn btn--primary btn--small"
            data-testid="confirm-end-yes"
            onClick={() => void submit(confirming.key, confirming.label, true)}
          >
            Yes, end it
          </button>{' '}
          <button type="button" className="btn btn--small" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      <div className="complete-form__outcomes" role="group" aria-label="Outcome">
        {task.outcomes.map((o, i) => (
          <button
            key={o.key}
            type="button"
            className={i === 0 ? 'btn btn--primary' : 'btn'}
            disabled={disabled}
            data-testid={`outcome-${o.key}`}
            onClick={() => void submit(o.key, o.label)}
          >
            {busy === o.key ? 'Completing…' : o.label}
            {effectOf(o.key)?.endsAttempt && <span className="sr-only"> (ends the attempt)</span>}
          </button>
        ))}
      </div>
    </form>
  );
}
