import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api';
import { inboxApi } from './inboxApi';
import type { ContactChannel, ContactKind } from './types';

const KINDS: { value: ContactKind; label: string }[] = [
  { value: 'call', label: 'Call' },
  { value: 'message', label: 'Message' },
  { value: 'visit', label: 'Visit' },
  // No "Customer answer" here: a contact row moves no attempt. The answer is recorded under
  // "Customer's answer" (RecordAnswer), which delivers it to the run, and the run logs the contact.
  { value: 'note', label: 'Note' },
];

const CHANNELS: { value: ContactChannel; label: string }[] = [
  { value: 'phone', label: 'Phone' },
  { value: 'sms', label: 'SMS' },
  { value: 'email', label: 'Email' },
  { value: 'messaging', label: 'Messaging app' },
  { value: 'visit', label: 'Visit' },
  { value: 'in_person', label: 'In person' },
];

const DEFAULT_CHANNEL: Partial<Record<ContactKind, ContactChannel>> = { call: 'phone', message: 'messaging', visit: 'in_person' };

/** An attempt the contact may be about, as the customer file lists it ("Tiered win-back, started 3 Dec"). */
export interface AttemptChoice {
  id: string;
  label: string;
}

type Field = 'kind' | 'channel' | 'summary' | 'attemptId' | '';
type FieldProblems = Partial<Record<Field, string[]>>;

/** The server's problems (400) by the field they point at, in words; anything else above the button. */
function problemsByField(details: unknown): FieldProblems {
  const list = (details as { problems?: { code?: unknown; message?: unknown; path?: unknown }[] } | undefined)?.problems;
  const out: FieldProblems = {};
  for (const p of Array.isArray(list) ? list : []) {
    const head = Array.isArray(p.path) ? p.path[0] : undefined;
    const field: Field = head === 'kind' || head === 'channel' || head === 'summary' || head === 'attemptId' ? head : '';
    (out[field] ??= []).push(problemText(field, String(p.code ?? ''), typeof p.message === 'string' ? p.message : 'not valid'));
  }
  return out;
}

function problemText(field: Field, code: string, message: string): string {
  if (code === 'use_answers_route') return "A customer's answer is recorded under “Customer’s answer” on their task: it moves the attempt on.";
  if (code === 'attempt_not_of_customer') return 'That attempt is not one of this customer’s.';
  if (field === 'summary')
    return code === 'invalid_too_big' ? 'Keep the summary under 4,000 characters.' : 'Summarise the contact: what was said, what was agreed.';
  if (field === 'kind') return 'Choose what kind of contact it was.';
  if (field === 'channel') return 'Choose a channel from the list, or none.';
  if (field === 'attemptId') return 'Choose one of the attempts listed, or none.';
  return message;
}

interface Props {
  customerId: string;
  /** The attempt the contact belongs to when it is fixed (the inbox's task); none if empty. */
  attemptId?: string;
  /** The customer file: the open attempts the contact may be about, chosen in the form (none by default). */
  attemptChoices?: readonly AttemptChoice[];
  onRecorded: () => void;
}

/** "Record a contact": so the next person to call continues from this one. */
export function ContactForm({ customerId, attemptId, attemptChoices, onRecorded }: Props) {
  const id = useId();
  const [kind, setKind] = useState<ContactKind>('call');
  const [channel, setChannel] = useState<ContactChannel | ''>('phone');
  const [summary, setSummary] = useState('');
  const [about, setAbout] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [saved, setSaved] = useState(false);

  function pickKind(next: ContactKind) {
    setKind(next);
    setChannel(DEFAULT_CHANNEL[next] ?? '');
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setProblems({});
    setSaved(false);
    // The server checks the contact (a blank summary, an attempt not of this customer) and says which field.
    const attempt = attemptChoices ? about : attemptId;
    try {
      await inboxApi.recordContact(customerId, { kind, channel: channel || undefined, summary, attemptId: attempt || undefined });
      // The next contact starts about the customer in general again, not silently about the same attempt.
      setSummary('');
      setAbout('');
      setSaved(true);
      onRecorded();
    } catch (err) {
      setProblems(err instanceof ApiError && err.status === 400 ? problemsByField(err.details) : { '': [errorMessage(err)] });
    } finally {
      setBusy(false);
    }
  }

  // Each field names its problems through aria-describedby, so a screen reader reads them with it.
  const invalid = (field: Field) =>
    problems[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-${field}-problem` } : { 'aria-invalid': undefined };
  const problemLine = (field: Exclude<Field, ''>) =>
    problems[field] && (
      <p className="field__error" id={`${id}-${field}-problem`}>
        {problems[field].join(' ')}
      </p>
    );

  return (
    <form className="contact-form" onSubmit={submit} aria-label="Record a contact" noValidate data-testid="contact-form">
      <div className="contact-form__row">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => pickKind(e.target.value as ContactKind)} {...invalid('kind')}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
          {problemLine('kind')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-channel`}>Channel</label>
          <select id={`${id}-channel`} value={channel} onChange={(e) => setChannel(e.target.value as ContactChannel | '')} {...invalid('channel')}>
            <option value="">None</option>
            {CHANNELS.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {problemLine('channel')}
        </div>
      </div>
      {attemptChoices && (
        <div className="field">
          <label htmlFor={`${id}-attempt`}>About attempt</label>
          <select id={`${id}-attempt`} value={about} onChange={(e) => setAbout(e.target.value)} {...invalid('attemptId')}>
            <option value="">None: the customer in general</option>
            {attemptChoices.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
          {problemLine('attemptId')}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-summary`}>Summary</label>
        <textarea
          id={`${id}-summary`}
          rows={2}
          value={summary}
          maxLength={4000}
          placeholder="What was said, what was agreed"
          onChange={(e) => setSummary(e.target.value)}
          {...invalid('summary')}
        />
        {problemLine('summary')}
      </div>
      {problems[''] && <p className="field__error">{problems[''].join(' ')}</p>}
      <div className="contact-form__actions">
        <button type="submit" className="btn btn--small" disabled={busy}>
          {busy ? 'Recording…' : 'Record contact'}
        </button>
        <span role="status" className="muted small">
          {saved ? 'Recorded: it is at the top of the contact log.' : ''}
        </span>
      </div>
    </form>
  );
}
