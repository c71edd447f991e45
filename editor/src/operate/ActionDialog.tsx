import { useState, type FormEvent, type ReactNode } from 'react';
import { OpDialog } from './OpDialog';
import { refusalLines } from './refusal';

interface Props<R> {
  title: string;
  /** The form; its fields are the caller's state. */
  children: ReactNode;
  /** Why the form cannot be sent yet (shown beside the button), or null when it can. */
  invalid: string | null;
  /** What the operator is about to do, asked once more before it is sent. */
  confirmText: ReactNode;
  submitLabel: string;
  danger?: boolean;
  run: () => Promise<R>;
  /** The server's account of what happened, shown after it applied. */
  result: (r: R) => ReactNode;
  onClose: (applied: boolean) => void;
}

type Phase<R> = { at: 'form' } | { at: 'confirm' } | { at: 'sending' } | { at: 'done'; result: R };

/**
 * Every repair goes form → confirmation → the server's effects; a refusal comes back to the form
 * with the server's reason inline, so the operator can change the choice and try again.
 */
export function ActionDialog<R>({ title, children, invalid, confirmText, submitLabel, danger, run, result, onClose }: Props<R>) {
  const [phase, setPhase] = useState<Phase<R>>({ at: 'form' });
  const [error, setError] = useState<string[] | null>(null);
  const applied = phase.at === 'done';

  function review(e: FormEvent) {
    e.preventDefault();
    if (invalid) return;
    setError(null);
    setPhase({ at: 'confirm' });
  }

  async function send() {
    setPhase({ at: 'sending' });
    try {
      const r = await run();
      setPhase({ at: 'done', result: r });
    } catch (e) {
      setError(refusalLines(e));
      setPhase({ at: 'form' });
    }
  }

  const primary = danger ? 'btn btn--danger' : 'btn btn--primary';
  return (
    <OpDialog title={title} onClose={() => onClose(applied)} wide>
      {phase.at === 'done' ? (
        <>
          <p className="notice notice--ok" role="status">
            Done.
          </p>
          {result(phase.result)}
          <div className="op-dialog__actions">
            <button type="button" className="btn btn--primary" onClick={() => onClose(true)}>
              Close
            </button>
          </div>
        </>
      ) : phase.at === 'confirm' || phase.at === 'sending' ? (
        <>
          <div className="op-confirm" role="alertdialog" aria-label="Confirm">
            {confirmText}
          </div>
          <div className="op-dialog__actions">
            <button type="button" className="btn" onClick={() => setPhase({ at: 'form' })} disabled={phase.at === 'sending'}>
              Back
            </button>
            <button type="button" className={primary} onClick={() => void send()} disabled={phase.at === 'sending'} autoFocus>
              {phase.at === 'sending' ? 'Applying…' : `Yes, ${submitLabel.toLowerCase()}`}
            </button>
          </div>
        </>
      ) : (
        <form className="op-form" onSubmit={review} noValidate>
          {children}
          {error && (
            <div className="notice notice--error" role="alert">
              <strong>The server refused: </strong>
              {error.length === 1 ? (
                error[0]
              ) : (
                <ul>
                  {error.map((l, i) => (
                    <li key={i}>{l}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div className="op-dialog__actions">
            {invalid && <span className="small muted">{invalid}</span>}
            <button type="button" className="btn" onClick={() => onClose(false)}>
              Close
            </button>
            <button type="submit" className={primary} disabled={invalid !== null}>
              {submitLabel}…
            </button>
          </div>
        </form>
      )}
    </OpDialog>
  );
}

/** The reason every repair needs, with the contract's rule (at least 3 characters) stated. */
export function ReasonField({ value, onChange, label = 'Reason (kept in the audit trail)' }: { value: string; onChange: (v: string) => void; label?: string }) {
  return (
    <label className="field">
      <span>
        {label} <span className="field__required">required</span>
      </span>
      <textarea className="op-textarea" rows={2} value={value} onChange={(e) => onChange(e.target.value)} required minLength={3} maxLength={500} />
    </label>
  );
}

export const reasonProblem = (reason: string) => (reason.trim().length < 3 ? 'Say why (at least 3 characters).' : null);
