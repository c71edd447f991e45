import { useEffect, useState } from 'react';
import { errorMessage } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { useApi } from '../useApi';
import { riskApi } from './riskApi';

/** The nightly evaluation: paused or not, the next runs, pause/resume, run now, backfill, and the latest evaluations. */
export function SchedulePanel({ canEdit }: { canEdit: boolean }) {
  const state = useApi((signal) => riskApi.schedule(signal), []);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // While an evaluation runs, its progress refreshes by itself.
  const running = state.status === 'ok' && state.data.evaluations.some((e) => e.status === 'running');
  useEffect(() => {
    if (!running) return;
    const t = setInterval(state.reload, 2000);
    return () => clearInterval(t);
  }, [running, state.reload]);

  async function act(work: () => Promise<unknown>, done: string) {
    setBusy(true);
    setMessage(null);
    try {
      await work();
      setMessage(done);
      state.reload();
    } catch (err) {
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (state.status === 'loading') return <Loading label="Loading the schedule…" />;
  if (state.status === 'error') return <ErrorBox error={state.error} onRetry={state.reload} />;
  const s = state.data.schedule;
  return (
    <section className="card" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Evaluation schedule</h2>
      {s ? (
        <p>
          <span className={`badge ${s.paused ? '' : 'badge--ok'}`}>{s.paused ? 'Paused' : 'Running'}</span> {s.spec}
          {s.paused && s.note && <span className="muted"> · {s.note}</span>}
          {!s.paused && s.nextRuns[0] && <span className="muted"> · next {formatDateTime(s.nextRuns[0])}</span>}
        </p>
      ) : (
        <p className="notice notice--error">The schedule cannot be read now: {state.data.scheduleError}</p>
      )}
      {canEdit && s && (
        <div className="risk-actions">
          {s.paused ? (
            <button type="button" className="btn" disabled={busy} onClick={() => act(() => riskApi.unpause(), 'Resumed.')}>
              Resume
            </button>
          ) : (
            <button type="button" className="btn" disabled={busy} onClick={() => act(() => riskApi.pause('paused from the rules page'), 'Paused.')}>
              Pause
            </button>
          )}
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => act(() => riskApi.runNow(), 'Evaluation started.')}>
            Run now
          </button>
        </div>
      )}
      {canEdit && s && (
        <form
          className="risk-backfill"
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () => riskApi.backfill(new Date(from).toISOString(), new Date(to).toISOString()),
              'Backfill started: one evaluation per day, each as of its day.',
            );
          }}
        >
          <label className="field field--inline">
            <span>Backfill from</span>
            <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field field--inline">
            <span>to</span>
            <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" className="btn btn--small" disabled={busy}>
            Backfill
          </button>
        </form>
      )}
      {message && (
        <p className="muted" role="status">
          {message}
        </p>
      )}
      <h3>Latest evaluations</h3>
      {state.data.evaluations.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <table className="table risk-evaluations">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Why</th>
              <th scope="col">Rules</th>
              <th scope="col">Scanned</th>
              <th scope="col">Moved</th>
              <th scope="col">Playbooks started</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {state.data.evaluations.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{formatDateTime(e.startedAt)}</td>
                <td>{e.reason}</td>
                <td>{e.ruleVersion ? `v${e.ruleVersion}` : 'defaults'}</td>
                <td>{e.scanned}</td>
                <td>{e.changed}</td>
                <td>{e.startedPlaybooks}</td>
                <td>{e.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
