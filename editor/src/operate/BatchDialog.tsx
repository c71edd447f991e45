import { useState } from 'react';
import { href } from '../router';
import { ActionDialog, ReasonField, reasonProblem } from './ActionDialog';
import { BatchItems } from './BatchItems';
import { BatchProgress } from './BatchProgress';
import { operateApi } from './operateApi';
import type { BatchCreated, OperateFilter } from './types';
import { useBatch } from './useBatch';
import { plural } from './words';

/** Which attempts a batch acts on: the ones ticked, or every one the filter matches. */
export type Scope = { attemptIds: string[] } | { filter: OperateFilter; total: number };

export const scopeCount = (s: Scope) => ('attemptIds' in s ? s.attemptIds.length : s.total);

interface Props {
  kind: 'cancel_attempt' | 'retry_incident';
  scope: Scope;
  onClose: (started: boolean) => void;
}

/** Cancelling or retrying many attempts at once: reason (and outcome), confirmation, then the batch's progress. */
export function BatchDialog({ kind, scope, onClose }: Props) {
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('cancelled');
  const n = scopeCount(scope);
  const cancel = kind === 'cancel_attempt';
  const which = 'attemptIds' in scope ? `the ${plural(n, 'selected attempt')}` : `all ${plural(n, 'attempt')} matching the filter`;
  return (
    <ActionDialog<BatchCreated>
      title={cancel ? `Cancel ${plural(n, 'attempt')}` : `Retry incidents of ${plural(n, 'attempt')}`}
      invalid={n === 0 ? 'No attempt chosen.' : reasonProblem(reason)}
      submitLabel={cancel ? `Cancel ${plural(n, 'attempt')}` : `Retry ${plural(n, 'incident')}`}
      danger={cancel}
      confirmText={
        cancel ? (
          <p>
            Cancel {which} with outcome <strong>{outcome}</strong>? Their open tasks and timers end; this cannot be undone.
          </p>
        ) : (
          <p>Write the failed transition of {which} again? Attempts without an open incident are left as they are.</p>
        )
      }
      run={() => operateApi.startBatch({ kind, reason: reason.trim(), ...(cancel ? { outcome } : {}), ...scopeBody(scope) })}
      result={(created) => <StartedBatch created={created} />}
      onClose={onClose}
    >
      <p>This acts on {which}.</p>
      {cancel && (
        <label className="field">
          <span>Outcome</span>
          <select aria-label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            {['cancelled', 'lost', 'retained', 'won_back', 'closed'].map((o) => (
              <option key={o} value={o}>
                {o.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
      )}
      <ReasonField value={reason} onChange={setReason} />
    </ActionDialog>
  );
}

export const scopeBody = (scope: Scope) => ('attemptIds' in scope ? { attemptIds: scope.attemptIds } : { filter: scope.filter });

function StartedBatch({ created }: { created: BatchCreated }) {
  const { batch, error } = useBatch(created.id);
  return (
    <>
      <p className="small">
        The batch runs on the server: you can leave this page. <a href={href({ name: 'operateBatches', batchId: created.id })}>Follow it on the batches page</a>
        .
      </p>
      {batch ? <BatchProgress batch={batch} error={error} /> : <p className="small muted">Starting {plural(created.total, 'attempt')}…</p>}
      {batch && <BatchItems items={batch.items} />}
    </>
  );
}
