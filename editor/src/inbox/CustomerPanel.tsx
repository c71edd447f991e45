import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime, humanize } from '../format';
import { useDepartments } from '../useDepartments';
import { ContactForm, type AttemptChoice } from './ContactForm';
import { CreditFile } from './CreditFile';
import { churnReasonLabel, formatValue, relativeTime, tierLabel, userName } from './format';
import { inboxApi } from './inboxApi';
import type { Attempt, Contact, CustomerFile, DirectoryUser } from './types';
import { useQuietApi } from './useQuietApi';

interface Props {
  customerId: string;
  attemptId: string;
  users: ReadonlyMap<string, DirectoryUser>;
  canRecord: boolean;
  reloadSeq: number;
  onRecorded: () => void;
  /** Off where the page lists the attempts itself (the customer file page), so they are not shown twice. */
  showAttempts?: boolean;
  /** The customer file: record a contact about one of these attempts, or none, rather than about `attemptId`. */
  contactAttempts?: readonly AttemptChoice[];
}

/** The customer's file next to the task: value, why they are leaving, past attempts, every contact. */
export function CustomerPanel({ customerId, attemptId, users, canRecord, reloadSeq, onRecorded, showAttempts = true, contactAttempts }: Props) {
  const file = useQuietApi((signal) => inboxApi.customer(customerId, signal), customerId, reloadSeq);
  if (file.status === 'loading') return <Loading label="Loading the customer file…" />;
  if (file.status === 'error') return <ErrorBox title="Could not load the customer" error={file.error} />;
  const { customer, attempts, contacts } = file.data;
  return (
    <div className="customer" data-testid="customer-panel">
      <div className="customer__head">
        <h3 className="customer__name">{customer.name}</h3>
        <span className={`grade grade--${customer.grade}`}>{tierLabel(customer.grade)}</span>
      </div>
      <CustomerFacts file={file.data} users={users} />
      <CreditFile customerId={customer.id} reloadSeq={reloadSeq} />
      {showAttempts && (
        <>
          <h4>Recovery attempts</h4>
          <AttemptList attempts={attempts} currentId={attemptId} />
        </>
      )}
      <h4>Contact log</h4>
      {canRecord && <ContactForm customerId={customer.id} attemptId={attemptId} attemptChoices={contactAttempts} onRecorded={onRecorded} />}
      <ContactLog contacts={contacts} />
    </div>
  );
}

function CustomerFacts({ file, users }: { file: CustomerFile; users: ReadonlyMap<string, DirectoryUser> }) {
  const c = file.customer;
  const departments = useDepartments();
  const rows: [string, string][] = [
    ['Value', formatValue(c.value)],
    ['Status', humanize(c.status)],
    ['Churn type', c.churnType ? humanize(c.churnType) : '—'],
    ['Churn reason', churnReasonLabel(c.churnReason)],
    ['Account manager', c.accountManager ? userName(users, c.accountManager) : 'None'],
    ['Department', c.department ? (c.departmentName ?? departments.name(c.department)) : '—'],
    ['Last seen', c.lastSeenAt ? `${formatDateTime(c.lastSeenAt)} (${relativeTime(c.lastSeenAt)})` : 'Never'],
  ];
  return (
    <>
      <dl className="kv customer__facts">
        {rows.map(([k, v]) => (
          <div className="kv__row" key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {c.tags.length > 0 && (
        <p className="customer__tags">
          {c.tags.map((t) => (
            <span key={t} className="badge">
              {t}
            </span>
          ))}
        </p>
      )}
    </>
  );
}

function AttemptList({ attempts, currentId }: { attempts: Attempt[]; currentId: string }) {
  if (attempts.length === 0) return <p className="muted small">None yet.</p>;
  return (
    <ul className="attempts">
      {attempts.map((a) => (
        <li key={a.id} className={a.id === currentId ? 'attempt is-current' : 'attempt'}>
          <div>
            <code>{a.playbookKey}</code> <span className="muted small">v{a.version}</span>
            {a.id === currentId && <span className="tag">this attempt</span>}
          </div>
          <div className="small">
            <span className={`run-status run-status--${a.status}`}>{humanize(a.status)}</span>
            {a.outcome && (
              <>
                {' '}
                · outcome <strong>{humanize(a.outcome)}</strong>
              </>
            )}
            <span className="muted"> · started {formatDateTime(a.startedAt)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}

function ContactLog({ contacts }: { contacts: Contact[] }) {
  if (contacts.length === 0) return <p className="muted small">No contacts recorded yet.</p>;
  return (
    <ol className="contacts" data-testid="contact-log" aria-label="Contacts, newest first">
      {contacts.map((c) => (
        <li key={c.id} className="contact">
          <div className="contact__meta">
            <span className={`contact__kind contact__kind--${c.kind}`}>{humanize(c.kind)}</span>
            {c.channel && <span className="muted"> via {humanize(c.channel)}</span>}
            <span className="muted">
              {' '}
              · {c.by ? c.by.name : 'system'} · <time dateTime={c.at}>{formatDateTime(c.at)}</time> ({relativeTime(c.at)})
            </span>
          </div>
          <p className="contact__summary">{c.summary}</p>
        </li>
      ))}
    </ol>
  );
}
