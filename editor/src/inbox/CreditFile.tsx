import type { CreditFile as CreditFileData } from '../../../contract/credit';
import { request } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { formatDateTime, humanize } from '../format';
import { formatValue } from './format';
import { useQuietApi } from './useQuietApi';

const loadCredit = (customerId: string, signal: AbortSignal) => request<CreditFileData>(`/api/customers/${encodeURIComponent(customerId)}/credit`, { signal });

/**
 * The customer's credit file (credit management for malicious churn): the current rating and
 * outstanding balance, and every check with who made it and when. Written only by credit checks.
 */
export function CreditFile({ customerId, reloadSeq }: { customerId: string; reloadSeq: number }) {
  const file = useQuietApi((signal) => loadCredit(customerId, signal), customerId, reloadSeq);
  if (file.status === 'loading') return <Loading label="Loading the credit file…" />;
  if (file.status === 'error') return <ErrorBox title="Could not load the credit file" error={file.error} />;
  const { rating, outstandingBalance, updatedAt, checks } = file.data;
  return (
    <section className="credit" aria-labelledby={`credit-${customerId}`} data-testid="credit-file">
      <h4 id={`credit-${customerId}`}>Credit file</h4>
      {rating === null ? (
        <p className="muted small">No credit check yet.</p>
      ) : (
        <dl className="kv">
          <div className="kv__row">
            <dt>Rating</dt>
            <dd>
              <span className={`badge credit__rating credit__rating--${rating}`}>{humanize(rating)}</span>
            </dd>
          </div>
          <div className="kv__row">
            <dt>Outstanding balance</dt>
            <dd>{formatValue(outstandingBalance)}</dd>
          </div>
          <div className="kv__row">
            <dt>Last checked</dt>
            <dd>{updatedAt ? formatDateTime(updatedAt) : '—'}</dd>
          </div>
        </dl>
      )}
      {checks.length > 0 && (
        <ol className="credit__checks" aria-label="Credit checks, newest first">
          {checks.map((c) => (
            <li key={c.id}>
              <strong>{humanize(c.rating)}</strong>, {formatValue(c.outstandingBalance)} outstanding — {c.checkedByName ?? c.checkedBy ?? 'unknown'},{' '}
              {formatDateTime(c.checkedAt)}
              {c.notes && <p className="small">{c.notes}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
