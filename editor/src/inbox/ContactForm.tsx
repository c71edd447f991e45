import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api';
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

/** "Record a contact": so the next person to call continues from this one. */
export function ContactForm({ customerId, attemptId, onRecorded }: { customerId: string; attemptId: string; onRecorded: () => void }) {
  const [kind, setKind] = useState<ContactKind>('call');
  const [channel, setChannel] = useState<ContactChannel | ''>('phone');
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function pickKind(next: ContactKind) {
    setKind(next);
    setChannel(DEFAULT_CHANNEL[next] ?? '');
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!summary.trim()) return setError('Summarise the contact.');
    setBusy(true);
    setError(null);
    try {
      await inboxApi.recordContact(customerId, { kind, channel: channel || undefined, summary: summary.trim(), attemptId });
      setSummary('');
      onRecorded();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="contact-form" onSubmit={submit} aria-label="Record a contact">
      <div className="contact-form__row">
        <div className="field">
          <label htmlFor={`contact-kind-${customerId}`}>Kind</label>
          <select id={`contact-kind-${customerId}`} value={kind} onChange={(e) => pickKind(e.target.value as ContactKind)}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`contact-channel-${customerId}`}>Channel</label>
          <select id={`contact-channel-${customerId}`} value={channel} onChange={(e) => setChannel(e.target.value as ContactChannel | '')}>
            <option value="">—</option>
            {CHANNELS.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`contact-summary-${customerId}`}>Summary</label>
        <textarea
          id={`contact-summary-${customerId}`}
          rows={2}
          value={summary}
          maxLength={4000}
          placeholder="What was said, what was agreed"
          onChange={(e) => setSummary(e.target.value)}
        />
      </div>
      {error && <p className="field__error">{error}</p>}
      <div>
        <button type="submit" className="btn btn--small" disabled={busy}>
          {busy ? 'Recording…' : 'Record contact'}
        </button>
      </div>
    </form>
  );
}
