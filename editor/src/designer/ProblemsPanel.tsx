import { useMemo } from 'react';
import { kindStyle } from '../canvas/nodeKinds';
import type { PlaybookGraph, Problem } from '../types';
import { groupProblems, type ProblemGroup } from './problemText';

interface Props {
  problems: readonly Problem[];
  graph: PlaybookGraph;
  pending: boolean;
  /** Select the step (and the connection, when the problem is about one) and show its settings. */
  onPick(nodeId: string, edgeId?: string): void;
}

/**
 * What stops the draft from publishing, step by step in the steps' names, each with its fix; the
 * compiler's codes and JSON paths are under "Details" for whoever needs them.
 */
export function ProblemsPanel({ problems, graph, pending, onPick }: Props) {
  const groups = useMemo(() => groupProblems(problems, graph), [problems, graph]);
  const steps = groups.filter((g) => g.nodeId).length;
  return (
    <section className="panel__section" aria-label="Problems">
      <h2 className="panel__title">
        Problems <span className={problems.length ? 'count count--bad' : 'count count--ok'}>{problems.length}</span>
        {pending && <span className="muted small">checking…</span>}
      </h2>
      {problems.length === 0 ? (
        <p className="muted small">No problems: the draft can be published.</p>
      ) : (
        <>
          <p className="muted small">
            {steps === 0 ? 'Fix these to publish.' : `${steps} step${steps === 1 ? ' needs' : 's need'} attention before the draft can be published.`}
          </p>
          <ul className="problem-groups" data-testid="problem-list">
            {groups.map((g) => (
              <ProblemGroupItem key={g.nodeId ?? '(playbook)'} group={g} onPick={onPick} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ProblemGroupItem({ group, onPick }: { group: ProblemGroup; onPick: Props['onPick'] }) {
  const style = group.kind ? kindStyle(group.kind) : null;
  const nodeId = group.nodeId;
  return (
    <li className="problem-group" data-node-id={nodeId ?? undefined}>
      {nodeId ? (
        <button type="button" className="problem-group__step" onClick={() => onPick(nodeId)} title="Select this step">
          {style && (
            <span className="problem-group__icon" aria-hidden="true" style={{ color: style.color }}>
              {style.icon}
            </span>
          )}
          <span className="problem-group__name">{group.title}</span>
          {style && style.label !== group.title && <span className="problem-group__kind">{style.label}</span>}
        </button>
      ) : (
        <div className="problem-group__step problem-group__step--playbook">
          <span className="problem-group__name">{group.title}</span>
        </div>
      )}
      <ul className="problem-lines">
        {group.lines.map((line) => (
          <li key={line.code} className="problem-line">
            {nodeId ? (
              <button type="button" className="problem-line__text" onClick={() => onPick(nodeId, line.edgeId)}>
                {line.text}
              </button>
            ) : (
              <span className="problem-line__text">{line.text}</span>
            )}
            <span className="problem-line__fix">{line.fix}</span>
          </li>
        ))}
      </ul>
      <details className="problem-details">
        <summary>Details</summary>
        <ul>
          {group.lines.flatMap((line) =>
            line.problems.map((p, i) => (
              <li key={`${line.code}-${i}`}>
                <code>{p.code}</code> {p.message}
                {p.path.length > 0 && (
                  <>
                    {' '}
                    at <code>{p.path.join('.')}</code>
                  </>
                )}
              </li>
            )),
          )}
        </ul>
      </details>
    </li>
  );
}
