import { kindStyle } from '../canvas/nodeKinds';
import { formatValue, type GraphDiff } from './diff';
import type { CompareSide } from './VersionsPanel';

interface Props {
  diff: GraphDiff;
  from: number;
  to: CompareSide;
  onFocus(nodeId: string): void;
  onClose(): void;
}

const side = (s: CompareSide) => (s === 'draft' ? 'the draft' : `v${s}`);

/** The changes between two versions, listed; the canvas shows them in colour at the same time. */
export function DiffPanel({ diff, from, to, onFocus, onClose }: Props) {
  const changed = diff.nodes.filter((n) => n.status !== 'same');
  const edges = diff.edges.filter((e) => e.status !== 'same');
  return (
    <section className="panel__section" aria-label="Changes">
      <div className="panel__subhead">
        <h2 className="panel__title">
          v{from} → {side(to)}
        </h2>
        <button type="button" className="btn btn--small" onClick={onClose}>
          Back to editing
        </button>
      </div>
      <p className="diff-legend small">
        <span className="chip chip--added">{diff.counts.added} added</span>
        <span className="chip chip--removed">{diff.counts.removed} removed</span>
        <span className="chip chip--changed">{diff.counts.changed} changed</span>
      </p>
      {changed.length === 0 && edges.length === 0 && <p className="muted small">No differences (positions are not compared).</p>}
      <ul className="diff-list">
        {changed.map((n) => (
          <li key={n.id} className={`diff-item diff-item--${n.status}`}>
            <button type="button" className="linklike" onClick={() => onFocus(n.id)}>
              <span aria-hidden="true">{kindStyle(n.node.kind).icon}</span> {n.node.name || n.id}
            </button>{' '}
            <span className="small muted">{n.status}</span>
            {n.changes.length > 0 && (
              <ul className="diff-changes">
                {n.changes.map((c) => (
                  <li key={c.path}>
                    <code>{c.path}</code>: <del>{formatValue(c.before)}</del> → <ins>{formatValue(c.after)}</ins>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
        {edges.map((e) => (
          <li key={e.key} className={`diff-item diff-item--${e.status}`}>
            connection <code>{e.key}</code> <span className="small muted">{e.status}</span>
            {e.beforeTarget && (
              <span className="small">
                {' '}
                (was → {e.beforeTarget}, now → {e.edge.target})
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
