import type { Problem } from '../types';

interface Props {
  problems: readonly Problem[];
  onPick: (problem: Problem) => void;
  /** Problems are computed for the draft; when another version is shown, say so. */
  viewingDraft: boolean;
}

export function ProblemList({ problems, onPick, viewingDraft }: Props) {
  return (
    <section className="panel__section">
      <h2 className="panel__title">
        Draft problems <span className={problems.length ? 'count count--bad' : 'count count--ok'}>{problems.length}</span>
      </h2>
      {problems.length === 0 ? (
        <p className="muted small">The draft is valid and can be published.</p>
      ) : (
        <>
          {!viewingDraft && <p className="muted small">Picking a problem switches to the draft.</p>}
          <ul className="problems">
            {problems.map((p, i) => {
              const target = p.nodeId ?? p.edgeId;
              return (
                <li key={i}>
                  <button type="button" className="problem" onClick={() => onPick(p)} disabled={!target} title={p.path.join('.')}>
                    <span className="problem__message">{p.message}</span>
                    <span className="problem__meta">
                      <code>{p.code}</code>
                      {target && <span> · {p.nodeId ? `node ${p.nodeId}` : `edge ${p.edgeId}`}</span>}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
