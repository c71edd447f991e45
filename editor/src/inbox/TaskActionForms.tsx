import { useState, type FormEvent } from 'react';
import { humanize } from '../format';
import { useDepartments } from '../useDepartments';
import { localInputToIso, toLocalInput } from './format';
import type { DirectoryUser, Task } from './types';

function tomorrowMorning(): Date {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}

export function SnoozeForm({ busy, onSubmit, onCancel }: { busy: boolean; onSubmit: (until: string, note?: string) => void; onCancel: () => void }) {
  const [until, setUntil] = useState(() => toLocalInput(tomorrowMorning()));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const iso = localInputToIso(until);
    if (!iso) return setError('Pick a date and time.');
    if (new Date(iso).getTime() <= Date.now()) return setError('Pick a time in the future.');
    setError(null);
    onSubmit(iso, note.trim() || undefined);
  }

  return (
    <form className="action-form" onSubmit={submit} aria-label="Snooze">
      <div className="field">
        <label htmlFor="snooze-until">Follow up on</label>
        <input id="snooze-until" type="datetime-local" value={until} min={toLocalInput(new Date())} onChange={(e) => setUntil(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="snooze-note">Note (optional)</label>
        <input
          id="snooze-note"
          type="text"
          value={note}
          maxLength={1000}
          placeholder="Customer asked to be called after the holidays"
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {error && <p className="field__error">{error}</p>}
      <div className="action-form__buttons">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy}>
          Snooze
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface ReassignProps {
  task: Task;
  users: DirectoryUser[];
  busy: boolean;
  onSubmit: (userId: string | null, reason: string) => void;
  onCancel: () => void;
}

const QUEUE = '__queue__';

/** Only people who could work the task are offered: its assignee role, in its department. */
export function ReassignForm({ task, users, busy, onSubmit, onCancel }: ReassignProps) {
  const eligible = users.filter((u) => u.role === task.assignee.role && (task.assignee.department === null || u.department === task.assignee.department));
  const [target, setTarget] = useState(QUEUE);
  const departments = useDepartments();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!reason.trim()) return setError('Say why, for the record.');
    setError(null);
    onSubmit(target === QUEUE ? null : target, reason.trim());
  }

  const queueName = `${humanize(task.assignee.role)} queue${task.assignee.department ? ` · ${departments.name(task.assignee.department)}` : ''}`;
  return (
    <form className="action-form" onSubmit={submit} aria-label="Reassign">
      <div className="field">
        <label htmlFor="reassign-to">Assign to</label>
        <select id="reassign-to" value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value={QUEUE}>Back to the {queueName}</option>
          {eligible.map((u) => (
            <option key={u.id} value={u.id} disabled={u.id === task.assignee.userId}>
              {u.displayName} ({u.username})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="reassign-reason">Reason</label>
        <input
          id="reassign-reason"
          type="text"
          value={reason}
          maxLength={500}
          placeholder="Ravi knows this customer"
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      {error && <p className="field__error">{error}</p>}
      <div className="action-form__buttons">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy}>
          Reassign
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
