import { useState } from 'react';
import { ApiError, errorMessage } from '../api';
import { inboxApi } from './inboxApi';
import type { OpenStepAnswer } from './types';
import { useQuietApi } from './useQuietApi';

const CHANNELS = [
  ['phone', 'Phone'],
  ['sms', 'SMS'],
  ['email', 'Email'],
  ['messaging', 'Messaging app'],
  ['visit', 'Visit'],
  ['in_person', 'In person'],
] as const;
type Channel = (typeof CHANNELS)[number][0];

/**
 * "Record the customer's answer": only what the attempt waits on now (asked of the run), each step with
 * the answers it takes. The answer reaches the run as the customer's own link would, so it moves it;
 * a tier replaced meanwhile is refused and the list reloads.
 */
export function RecordAnswer({
  attemptId,
  canRecord,
  reloadSeq,
  onRecorded,
}: {
  attemptId: string;
  canRecord: boolean;
  reloadSeq: number;
  onRecorded: (text: string) => void;
}) {
  const [ownSeq, setOwnSeq] = useState(0);
  const open = useQuietApi((signal) => inboxApi.openAnswers(attemptId, signal), attemptId, reloadSeq + ownSeq);
  if (open.status === 'loading') return <p className="muted small">Checking what the customer can answer…</p>;
  if (open.status === 'error') return <p className="muted small">Could not ask the attempt what it waits for: {errorMessage(open.error)}</p>;
  const answers = open.data.answers;
  if (answers.length === 0)
    return (
      <p className="muted small" data-testid="no-open-answer">
        The attempt is not waiting for an answer from the customer right now.
      </p>
    );
  return (
    <div className="record-answers">
      {answers.map((a) => (
        <StepAnswer
          key={`${a.nodeId}:${a.target?.ref ?? ''}`}
          attemptId={attemptId}
          answer={a}
          canRecord={canRecord}
          onRecorded={(text) => {
            setOwnSeq((n) => n + 1);
            onRecorded(text);
          }}
          onStale={() => setOwnSeq((n) => n + 1)}
        />
      ))}
    </div>
  );
}

function StepAnswer(props: { attemptId: string; answer: OpenStepAnswer; canRecord: boolean; onRecorded: (text: string) => void; onStale: () => void }) {
  const { attemptId, answer, canRecord, onRecorded, onStale } = props;
  const [channel, setChannel] = useState<Channel>('phone');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = `answer-${answer.nodeId}`;

  async function record(kind: string, label: string) {
    setBusy(kind);
    setError(null);
    try {
      await inboxApi.recordAnswer(attemptId, { nodeId: answer.nodeId, kind, ref: answer.target?.ref, channel, note: note.trim() || undefined });
      setNote('');
      onRecorded(`Recorded “${label}” for ${answer.stepName}; the attempt moves on with it.`);
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'answer_not_open' ? 'This has changed meanwhile (a newer tier, or the step moved on); reloaded.' : errorMessage(e),
      );
      if (e instanceof ApiError && e.status === 409) onStale();
    } finally {
      setBusy(null);
    }
  }

  return (
    <fieldset className="record-answer" data-testid="record-answer" aria-describedby={`${id}-what`}>
      <legend>{answer.stepName}</legend>
      <p id={`${id}-what`} className="small">
        {answer.target ? (
          <>
            Waiting for the answer to {answer.target.tier ? `tier ${answer.target.tier}: ` : ''}
            <strong>{answer.target.text}</strong>
          </>
        ) : (
          'Waiting for the customer’s answer.'
        )}
      </p>
      <div className="contact-form__row">
        <div className="field">
          <label htmlFor={`${id}-channel`}>How they answered</label>
          <select id={`${id}-channel`} value={channel} disabled={!canRecord} onChange={(e) => setChannel(e.target.value as Channel)}>
            {CHANNELS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>What they said (optional)</label>
          <input id={`${id}-note`} value={note} maxLength={1000} disabled={!canRecord} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="record-answer__kinds" role="group" aria-label={`Answer for ${answer.stepName}`}>
        {answer.kinds.map((k) => (
          <button
            key={k.key}
            type="button"
            className="btn btn--small"
            disabled={!canRecord || busy !== null}
            data-testid={`answer-${k.key}`}
            onClick={() => void record(k.key, k.label)}
          >
            {busy === k.key ? 'Recording…' : k.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
