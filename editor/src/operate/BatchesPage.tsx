import { useEffect, useState } from 'react';
import { ErrorBox, Empty, Loading } from '../components/Status';
import { formatDateTime } from '../format';
import { href } from '../router';
import { useApi } from '../useApi';
import { BatchItems } from './BatchItems';
import { BATCH_KIND_WORDS, BatchProgress } from './BatchProgress';
import { operateApi } from './operateApi';
import type { Batch } from './types';
import { useBatch } from './useBatch';
import { plural } from './words';
import './operate.css';

const ITEMS = 100;

/** `#/operate/batches`: every batch with the server's progress; one opened shows its per-attempt results. */
export function BatchesPage({ batchId }: { batchId: string | null }) {
  const [seq, setSeq] = useState(0);
  const list = useApi((signal) => operateApi.batches(signal), [seq]);
  const running = list.status === 'ok' && list.data.batches.some((b) => !b.finishedAt);
  // While any batch runs, the list asks again every two seconds, so its bars move without a reload.
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(() => setSeq((n) => n + 1), 2000);
    return () => clearTimeout(t);
  }, [running, list]);

  return (
    <div className="page op-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ name: 'operate', query: '' })}>Attempts</a>
        <span aria-hidden="true">/</span>
        <span>Batches</span>
      </nav>
      <h1>Batches</h1>
      <p className="muted">Batches run on the server: they go on when you leave this page or the API restarts.</p>
      {batchId && <BatchDetailCard batchId={batchId} />}
      {list.status === 'loading' && seq === 0 && <Loading label="Loading batches…" />}
      {list.status === 'error' && <ErrorBox title="Could not load the batches" error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' && list.data.batches.length === 0 && <Empty title="No batches yet">Start one from the attempts list or a migration.</Empty>}
      {list.status === 'ok' && list.data.batches.length > 0 && (
        <ul className="op-batch-list">
          {list.data.batches.map((b) => (
            <BatchRow key={b.id} batch={b} current={b.id === batchId} />
          ))}
        </ul>
      )}
    </div>
  );
}

function BatchRow({ batch, current }: { batch: Batch; current: boolean }) {
  return (
    <li className="op-card" aria-current={current ? 'true' : undefined}>
      <h2>
        <a href={href({ name: 'operateBatches', batchId: batch.id })}>{batchTitle(batch)}</a>
      </h2>
      <p className="small muted">
        By {batch.createdBy}, {formatDateTime(batch.createdAt)} · “{batch.reason}”{batch.finishedAt && <> · finished {formatDateTime(batch.finishedAt)}</>}
      </p>
      <BatchProgress batch={batch} />
    </li>
  );
}

export function batchTitle(b: Batch): string {
  const what = `${BATCH_KIND_WORDS[b.kind]}: ${plural(b.total, 'attempt')}`;
  if (b.playbookKey && b.toVersion) return `${what} of ${b.playbookKey}${b.fromVersion ? ` v${b.fromVersion}` : ''} → v${b.toVersion}`;
  return what;
}

function BatchDetailCard({ batchId }: { batchId: string }) {
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const { batch, error } = useBatch(batchId, { offset, limit: ITEMS, status: status || undefined });
  if (!batch) return error ? <ErrorBox title="Could not load the batch" error={error} /> : <Loading label="Loading the batch…" />;
  const shown = status ? batch.progress[status as keyof Batch['progress']] : batch.total;
  return (
    <section className="op-card" aria-label="Batch results">
      <h2>{batchTitle(batch)}</h2>
      <BatchProgress batch={batch} error={error} />
      <div className="op-buttons">
        <label className="field field--inline">
          <span>Show</span>
          <select
            aria-label="Show"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">Every attempt</option>
            <option value="done">Done</option>
            <option value="refused">Refused</option>
            <option value="failed">Failed</option>
            <option value="pending">Waiting</option>
          </select>
        </label>
        <button type="button" className="btn btn--small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - ITEMS))}>
          Previous
        </button>
        <button type="button" className="btn btn--small" disabled={offset + ITEMS >= shown} onClick={() => setOffset(offset + ITEMS)}>
          Next
        </button>
      </div>
      <BatchItems items={batch.items} />
    </section>
  );
}
