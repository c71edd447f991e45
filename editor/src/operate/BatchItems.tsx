import { humanize } from '../format';
import { href } from '../router';
import type { BatchItem, MigrationVerdict } from './types';

const STATUS_WORDS: Record<BatchItem['status'], string> = { pending: 'Waiting', done: 'Done', refused: 'Refused', failed: 'Failed' };
const STATUS_CLASS: Record<BatchItem['status'], string> = {
  pending: 'badge',
  done: 'badge badge--ok',
  refused: 'badge op-badge--warn',
  failed: 'badge op-badge--bad',
};

/** Per attempt of a batch: its status and, when the server says, why (a refusal's reason, a verdict's proof). */
export function BatchItems({ items, caption = 'Per attempt' }: { items: BatchItem[]; caption?: string }) {
  if (items.length === 0) return null;
  return (
    <table className="table op-table--compact">
      <caption className="op-caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Customer</th>
          <th scope="col">Result</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.attemptId}>
            <td>
              <a href={href({ name: 'auditAttempt', attemptId: item.attemptId })}>{item.customerName}</a>
            </td>
            <td>
              <span className={STATUS_CLASS[item.status]}>{STATUS_WORDS[item.status]}</span>
            </td>
            <td className="small">{verdictWords(item.verdict)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A batch item's verdict in a line (server/operate/batch.ts): a refusal's reason, a dry run's proof, or where it went. */
export function verdictWords(verdict: unknown): string {
  if (!isRecord(verdict)) return '';
  if (isRecord(verdict.refusal) && typeof verdict.refusal.reason === 'string') return verdict.refusal.reason;
  if (typeof verdict.error === 'string') return verdict.error;
  if (verdict.alreadyThere === true) return `Already on v${String(verdict.toVersion)}`;
  if (isRecord(verdict.applied) && isRecord(verdict.applied.effects)) {
    const migrated = isMigrationVerdict(verdict) ? `Migrated to v${verdict.toVersion} · ` : '';
    return migrated + afterWords(verdict.applied.effects.after);
  }
  if (isRecord(verdict.resolved)) return 'Retried';
  if (isMigrationVerdict(verdict)) {
    if (!verdict.canMove) return verdict.proof.message ?? 'cannot move';
    return `Can move · replay ${verdict.proof.replay} · states ${verdict.proof.statesAgree ? 'agree' : 'differ'} · ${afterWords(verdict.effects?.after)}`;
  }
  return '';
}

function afterWords(after: unknown): string {
  if (!isRecord(after)) return '';
  const a = after as { status?: string; outcome?: string | null; activeSteps?: { name: string; nodeId: string }[] };
  if (a.status === 'completed') return `ended${a.outcome ? ` (${humanize(a.outcome)})` : ''}`;
  return `now at ${(a.activeSteps ?? []).map((s) => s.name || s.nodeId).join(', ')}`;
}

export function isMigrationVerdict(v: unknown): v is MigrationVerdict {
  return isRecord(v) && typeof v.canMove === 'boolean' && isRecord(v.proof);
}
