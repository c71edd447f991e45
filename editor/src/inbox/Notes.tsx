import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api';
import { formatDateTime } from '../format';
import { relativeTime } from './format';
import { inboxApi } from './inboxApi';
import type { Note } from './types';

interface Props {
  taskId: string;
  notes: Note[];
  canAdd: boolean;
  onAdded: () => void;
}

/** The task's notes, oldest first, and a box to add one (it also lands in the contact log). */
export function Notes({ taskId, notes, canAdd, onAdded }: Props) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<Note[]>([]);
  const shown = [...notes, ...added.filter((a) => !notes.some((n) => n.id === a.id))];

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!body.trim()) return setError('Write something first.');
    setBusy(true);
    setError(null);
    try {
      const note = await inboxApi.addNote(taskId, body.trim());
      setAdded((a) => [...a, note]);
      setBody('');
      onAdded();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="notes">
      {shown.length === 0 ? (
        <p className="muted small">No notes yet.</p>
      ) : (
        <ul className="notes__list">
          {shown.map((n) => (
            <li key={n.id} className="note">
              <div className="note__meta">
                <strong>{n.authorName}</strong> · <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time> ({relativeTime(n.createdAt)})
              </div>
              <p className="note__body">{n.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canAdd && (
        <form className="inline-form" onSubmit={submit}>
          <label className="sr-only" htmlFor={`note-${taskId}`}>
            Add a note
          </label>
          <textarea
            id={`note-${taskId}`}
            rows={2}
            placeholder="Add a note for whoever picks this up next…"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            maxLength={4000}
          />
          {error && <p className="field__error">{error}</p>}
          <div>
            <button type="submit" className="btn btn--small" disabled={busy}>
              {busy ? 'Adding…' : 'Add note'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
