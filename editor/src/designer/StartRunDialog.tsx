import { useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../api';
import { href } from '../router';
import { Loading, ErrorBox } from '../components/Status';
import type { VersionSummary } from '../types';
import { useApi } from '../useApi';
import { listCustomers, startAttempt, type StartedAttempt } from './designerApi';
import { Dialog } from './Dialog';

interface Props {
  playbookKey: string;
  versions: readonly VersionSummary[];
  onClose(): void;
}

type Outcome = { ok: true; attempt: StartedAttempt } | { ok: false; message: string; attemptId?: string };

/** Start a recovery attempt for one customer from a published version, and say what happened. */
export function StartRunDialog({ playbookKey, versions, onClose }: Props) {
  const sorted = useMemo(() => [...versions].sort((a, b) => b.version - a.version), [versions]);
  const customers = useApi((signal) => listCustomers(signal), []);
  const [version, setVersion] = useState(sorted[0]?.version ?? 0);
  const [query, setQuery] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const shown =
    customers.status === 'ok' ? customers.data.filter((c) => `${c.id} ${c.name}`.toLowerCase().includes(query.trim().toLowerCase())).slice(0, 200) : [];

  async function start() {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ ok: true, attempt: await startAttempt(playbookKey, version, customerId) });
    } catch (e) {
      const details = e instanceof ApiError ? (e.details as { attemptId?: string } | undefined) : undefined;
      const message =
        e instanceof ApiError && e.code === 'attempt_already_running'
          ? `This playbook is already running for ${customerId}: one attempt per customer at a time.`
          : errorMessage(e);
      setOutcome({ ok: false, message, ...(details?.attemptId ? { attemptId: details.attemptId } : {}) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Start a recovery attempt"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="button" className="btn btn--primary" disabled={!customerId || !version || busy} onClick={() => void start()}>
            {busy ? 'Starting…' : 'Start'}
          </button>
        </>
      }
    >
      <label className="field">
        <span>Version</span>
        <select aria-label="Version" value={version} onChange={(e) => setVersion(Number(e.target.value))}>
          {sorted.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version} ({v.hash.slice(0, 8)})
            </option>
          ))}
        </select>
      </label>
      {customers.status === 'loading' && <Loading label="Loading customers…" />}
      {customers.status === 'error' && <ErrorBox error={customers.error} onRetry={customers.reload} />}
      {customers.status === 'ok' && (
        <>
          <label className="field">
            <span>Find a customer</span>
            <input type="search" aria-label="Find a customer" value={query} placeholder="Name or id" onChange={(e) => setQuery(e.target.value)} />
          </label>
          <label className="field">
            <span>Customer</span>
            <select aria-label="Customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)} size={Math.min(8, Math.max(3, shown.length + 1))}>
              <option value="">Choose a customer…</option>
              {shown.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.id}) · {c.grade.replace(/_/g, ' ')} · {c.status.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {outcome?.ok && (
        <div className="ds-notice ds-notice--ok" role="status" data-testid="run-started">
          Started recovery attempt <code>{outcome.attempt.id}</code> (workflow <code>{outcome.attempt.workflowId}</code>, v{outcome.attempt.version}).{' '}
          <a href={href({ name: 'auditAttempt', attemptId: outcome.attempt.id })}>Open the attempt</a>
        </div>
      )}
      {outcome && !outcome.ok && (
        <div className="ds-notice ds-notice--error" role="alert">
          {outcome.message}
          {outcome.attemptId && (
            <>
              {' '}
              <a href={href({ name: 'auditAttempt', attemptId: outcome.attemptId })}>Open the running attempt</a>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}
