import { useState } from 'react';
import { formatDateTime } from '../format';
import type { VersionSummary } from '../types';

export type CompareSide = number | 'draft';

interface Props {
  versions: readonly VersionSummary[];
  onCompare(from: number, to: CompareSide): void;
  loading: boolean;
}

/** Published versions, newest first, and the pick of two to compare (a version against the draft by default). */
export function VersionsPanel({ versions, onCompare, loading }: Props) {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const [from, setFrom] = useState<number | null>(sorted[0]?.version ?? null);
  const [to, setTo] = useState<CompareSide>('draft');
  if (sorted.length === 0) {
    return (
      <section className="panel__section">
        <h2 className="panel__title">Versions</h2>
        <p className="muted small">Nothing published yet. Publishing makes the draft an immutable numbered version that runs can start from.</p>
      </section>
    );
  }
  return (
    <section className="panel__section">
      <h2 className="panel__title">Versions</h2>
      <ol className="versions">
        {sorted.map((v) => (
          <li key={v.version}>
            <span className="badge badge--ok">v{v.version}</span>
            <span className="small">
              {formatDateTime(v.publishedAt)} by {v.publishedByName ?? v.publishedBy}
            </span>
            <code className="small" title={v.hash}>
              {v.hash.slice(0, 8)}
            </code>
            <button type="button" className="linklike small" onClick={() => onCompare(v.version, 'draft')}>
              vs draft
            </button>
          </li>
        ))}
      </ol>
      <h3>Compare</h3>
      <div className="compare-pick">
        <select aria-label="Compare from" value={from ?? ''} onChange={(e) => setFrom(Number(e.target.value))}>
          {sorted.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
        <span aria-hidden="true">→</span>
        <select aria-label="Compare to" value={String(to)} onChange={(e) => setTo(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
          <option value="draft">Draft</option>
          {sorted.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn--small" disabled={from === null || loading} onClick={() => from !== null && onCompare(from, to)}>
          {loading ? 'Loading…' : 'Show changes'}
        </button>
      </div>
    </section>
  );
}
