import { useEffect, useState, type FormEvent } from 'react';
import { errorMessage } from '../api';
import { roleLabel } from '../format';
import { inboxApi } from './inboxApi';
import type { DirectoryUser, HandoverPreview, Workload } from './types';
import { useQuietApi } from './useQuietApi';

/**
 * A head's team view beside the list: the workload per person (open, overdue, due today; a row picks
 * that person's tasks), and the handover of a leaving rep with a preview before anything moves.
 */
export function TeamPanel(props: {
  users: DirectoryUser[];
  holder: string;
  onHolder: (holder: string) => void;
  reloadSeq: number;
  onHandedOver: (text: string) => void;
}) {
  const { users, holder, onHolder, reloadSeq, onHandedOver } = props;
  const [ownSeq, setOwnSeq] = useState(0);
  const load = useQuietApi((signal) => inboxApi.workload(signal), 'workload', reloadSeq + ownSeq);
  return (
    <div className="team-panel" data-testid="team-panel">
      <section aria-labelledby="workload-title">
        <h2 id="workload-title" className="team-panel__title">
          Workload
        </h2>
        {load.status === 'loading' && <p className="muted small">Loading…</p>}
        {load.status === 'error' && <p className="muted small">Could not load the workload: {errorMessage(load.error)}</p>}
        {load.status === 'ok' && <WorkloadTable workload={load.data} holder={holder} onHolder={onHolder} />}
      </section>
      <Handover
        users={users}
        onDone={(text) => {
          setOwnSeq((n) => n + 1);
          onHandedOver(text);
        }}
      />
    </div>
  );
}

function WorkloadTable({ workload, holder, onHolder }: { workload: Workload; holder: string; onHolder: (holder: string) => void }) {
  const rows = [...workload.people.map((p) => ({ ...p, id: p.userId })), { id: 'nobody', name: 'Unheld (queue)', role: null, ...workload.queue }];
  return (
    <table className="workload" data-testid="workload">
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Open</th>
          <th scope="col">Overdue</th>
          <th scope="col">Due today</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} className={holder === r.id ? 'is-selected' : undefined} data-testid={`workload-${r.id}`}>
            <th scope="row">
              <button type="button" className="linklike" aria-pressed={holder === r.id} onClick={() => onHolder(holder === r.id ? '' : r.id)}>
                {r.name}
              </button>
              {r.role && <span className="muted small"> · {roleLabel(r.role)}</span>}
            </th>
            <td>{r.open}</td>
            <td className={r.overdue > 0 ? 'workload__overdue' : undefined}>{r.overdue}</td>
            <td>{r.dueToday}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const QUEUE = '__queue__';

/** Pick the leaving rep and the receiver (or the queue), see what moves, give a reason, confirm. */
function Handover({ users, onDone }: { users: DirectoryUser[]; onDone: (text: string) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState(QUEUE);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<HandoverPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const people = users.filter((u) => u.role === 'rep' || u.role === 'department_head');
  const receiver = to === QUEUE ? null : to;

  // The preview is of this pair only: changing either asks again.
  useEffect(() => {
    setPreview(null);
    setError(null);
    if (!from) return;
    const ctrl = new AbortController();
    inboxApi.handoverPreview(from, receiver, ctrl.signal).then(setPreview, (e: unknown) => !ctrl.signal.aborted && setError(errorMessage(e)));
    return () => ctrl.abort();
  }, [from, receiver]);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!from || !preview) return;
    if (!reason.trim()) return setError('Give a reason: it is kept with the handover.');
    setBusy(true);
    setError(null);
    try {
      const done = await inboxApi.handover(from, receiver, reason.trim());
      const failed = done.failures.length ? `; ${done.failures.length} could not move` : '';
      onDone(`Handed over ${done.reassignedTasks} tasks, ${done.movedClaims ?? 0} claims and ${done.customers ?? 0} customers${failed}.`);
      setFrom('');
      setReason('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const who = preview?.to?.name ?? 'the queue';
  return (
    <form className="handover" aria-labelledby="handover-title" onSubmit={confirm} data-testid="handover">
      <h2 id="handover-title" className="team-panel__title">
        Hand over
      </h2>
      <div className="field">
        <label htmlFor="handover-from">Leaving or moving</label>
        <select id="handover-from" value={from} onChange={(e) => setFrom(e.target.value)}>
          <option value="">Choose a person…</option>
          {people.map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="handover-to">Their work goes to</label>
        <select id="handover-to" value={to} onChange={(e) => setTo(e.target.value)}>
          <option value={QUEUE}>Back to the queue</option>
          {people
            .filter((u) => u.id !== from)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
              </option>
            ))}
        </select>
      </div>
      {preview && (
        <p className="handover__preview" role="status" data-testid="handover-preview">
          {preview.tasks} tasks, {preview.claims} claims, {preview.customers} customers move from {preview.from.name} to {who}.
          {preview.notEligible.length > 0 && ` ${preview.notEligible.length} tasks cannot go to ${who} (another role or department) and stay.`}
        </p>
      )}
      <div className="field">
        <label htmlFor="handover-reason">Reason</label>
        <input
          id="handover-reason"
          value={reason}
          maxLength={500}
          placeholder="e.g. leaves the company on Friday"
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn--primary btn--small" disabled={!preview || busy} data-testid="handover-confirm">
        {busy ? 'Handing over…' : preview ? `Hand over to ${who}` : 'Hand over'}
      </button>
    </form>
  );
}
