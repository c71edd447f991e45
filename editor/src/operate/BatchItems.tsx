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

/** A batch item's verdict in a line: a refusal's reason, a dry run's proof, or where it went. */
export function verdictWords(verdict: unknown): string {
  if (!isRecord(verdict)) return '';
  if (isMigrationVerdict(verdict)) {
    if (!verdict.canMove) return verdict.refusal ? verdict.refusal.reason : (verdict.proof.message ?? 'cannot move');
    const at = verdict.effects?.after.activeSteps.map((s) => s.name || s.nodeId).join(', ');
    return `Can move · replay ${verdict.proof.replay} · states ${verdict.proof.statesAgree ? 'agree' : 'differ'}${at ? ` · then at ${at}` : ''}`;
  }
  const error = isRecord(verdict.error) ? verdict.error : verdict;
  if (typeof error.message === 'string') return error.message;
  if (typeof verdict.reason === 'string') return verdict.reason;
  if (isRecord(verdict.effects) && isRecord(verdict.effects.after)) {
    const after = verdict.effects.after as { status?: string; outcome?: string | null; activeSteps?: { name: string; nodeId: string }[] };
    if (after.status === 'completed') return `Ended${after.outcome ? ` (${humanize(after.outcome)})` : ''}`;
    return `Now at ${(after.activeSteps ?? []).map((s) => s.name || s.nodeId).join(', ')}`;
  }
  return '';
}

export function isMigrationVerdict(v: unknown): v is MigrationVerdict {
  return isRecord(v) && typeof v.canMove === 'boolean' && isRecord(v.proof);
}
