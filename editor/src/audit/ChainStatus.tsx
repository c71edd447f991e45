import { useState } from 'react';
import { ErrorBox } from '../components/Status';
import { formatDateTime } from '../format';
import { auditApi } from './auditApi';
import type { ChainVerdict } from './types';

type State = { status: 'idle' } | { status: 'checking' } | { status: 'done'; verdict: ChainVerdict; at: string } | { status: 'error'; error: unknown };

const REASONS: Record<string, string> = { content_changed: 'content changed', link_broken: 'link to the previous row broken' };

/** Recomputes every audit row's hash on the server and says whether the chain still holds. */
export function ChainStatus() {
  const [state, setState] = useState<State>({ status: 'idle' });

  const verify = () => {
    setState({ status: 'checking' });
    auditApi.verifyChain().then(
      (verdict) => setState({ status: 'done', verdict, at: new Date().toISOString() }),
      (error: unknown) => setState({ status: 'error', error }),
    );
  };

  return (
    <section className="card audit-box" aria-labelledby="chain-title">
      <h2 id="chain-title">Audit chain</h2>
      <p className="muted small">Every human action is a row whose hash covers its content and the row before it; a changed or removed row breaks the chain.</p>
      <button type="button" className="btn" onClick={verify} disabled={state.status === 'checking'}>
        {state.status === 'checking' ? 'Verifying…' : 'Verify chain'}
      </button>
      {state.status === 'done' && (
        <div
          className={state.verdict.ok ? 'verdict verdict--ok' : 'verdict verdict--bad'}
          role={state.verdict.ok ? 'status' : 'alert'}
          data-testid="chain-verdict"
        >
          {state.verdict.ok || !state.verdict.firstBroken ? (
            <strong>
              ✔ Chain intact, {state.verdict.rows} row{state.verdict.rows === 1 ? '' : 's'}
            </strong>
          ) : (
            <strong>
              ✖ Broken at row {state.verdict.firstBroken.id}: {REASONS[state.verdict.firstBroken.reason] ?? state.verdict.firstBroken.reason}
            </strong>
          )}
          <span className="small muted">Checked {formatDateTime(state.at)}</span>
        </div>
      )}
      {state.status === 'error' && <ErrorBox title="Could not verify the chain" error={state.error} onRetry={verify} />}
    </section>
  );
}
