import { errorMessage } from '../api';
import type { Batch } from './types';
import { plural } from './words';

export const BATCH_KIND_WORDS: Record<Batch['kind'], string> = {
  cancel_attempt: 'Cancel attempts',
  migrate: 'Migrate attempts',
  dry_run_migrate: 'Dry run of a migration',
  retry_incident: 'Retry incidents',
};

/** The batch's progress bar and counts, from the server's figures. */
export function BatchProgress({ batch, error }: { batch: Batch; error?: unknown }) {
  const { pending, done, refused, failed } = batch.progress;
  const finished = batch.total - pending;
  return (
    <div className="op-progress">
      <div className="op-progress__line">
        <progress max={Math.max(batch.total, 1)} value={finished} aria-label={`${BATCH_KIND_WORDS[batch.kind]}: ${finished} of ${batch.total} finished`} />
        <span className="small" aria-live="polite">
          {batch.finishedAt ? 'Finished' : 'Running'}: {finished.toLocaleString()} of {plural(batch.total, 'attempt')}
        </span>
      </div>
      <p className="small op-progress__counts">
        <span className="badge badge--ok">{done.toLocaleString()} done</span> <span className="badge op-badge--warn">{refused.toLocaleString()} refused</span>{' '}
        <span className="badge op-badge--bad">{failed.toLocaleString()} failed</span> <span className="badge">{pending.toLocaleString()} waiting</span>
      </p>
      {error !== null && error !== undefined && <p className="small muted">Reconnecting to the server ({errorMessage(error)})…</p>}
    </div>
  );
}
