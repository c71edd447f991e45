import type { PlaybookGraph, Problem } from '../types';

interface Props {
  problems: readonly Problem[];
  graph: PlaybookGraph;
  pending: boolean;
  onPick(problem: Problem): void;
}

/** Every problem the compiler finds in the current draft; picking one selects and centres its step. */
export function ProblemsPanel({ problems, graph, pending, onPick }: Props) {
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name || id;
  return (
    <section className="panel__section" aria-label="Problems">
      <h2 className="panel__title">
        Problems <span className={problems.length ? 'count count--bad' : 'count count--ok'}>{problems.length}</span>
        {pending && <span className="muted small">checking…</span>}
      </h2>
      {problems.length === 0 ? (
        <p className="muted small">No problems: the draft can be published.</p>
      ) : (
        <ul className="problems" data-testid="problem-list">
          {problems.map((p, i) => {
            const target = p.nodeId ?? p.edgeId;
            return (
              <li key={`${p.code}-${p.nodeId ?? ''}-${p.edgeId ?? ''}-${i}`}>
                <button type="button" className="problem" onClick={() => onPick(p)} disabled={!target} title={p.path.join('.')}>
                  <span className="problem__message">{p.message}</span>
                  <span className="problem__meta">
                    {p.nodeId ? name(p.nodeId) : p.edgeId ? `connection ${p.edgeId}` : 'playbook'} · <code>{p.code}</code>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
