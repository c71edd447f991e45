import { useState } from 'react';
import type { CanvasSelection } from '../canvas/PlaybookCanvas';
import { kindStyle } from '../canvas/nodeKinds';
import { ValueView } from '../components/ValueView';
import type { GraphEdge, GraphNode, PlaybookGraph, Problem } from '../types';

interface Props {
  graph: PlaybookGraph;
  selection: CanvasSelection;
  problems: readonly Problem[];
  onSelect: (selection: CanvasSelection) => void;
}

/** Read-only details of the selected node or edge. */
export function Inspector({ graph, selection, problems, onSelect }: Props) {
  if (selection?.type === 'node') {
    const node = graph.nodes.find((n) => n.id === selection.id);
    if (node) return <NodeDetails node={node} graph={graph} problems={problems.filter((p) => p.nodeId === node.id)} onSelect={onSelect} />;
  }
  if (selection?.type === 'edge') {
    const edge = graph.edges.find((e) => e.id === selection.id);
    if (edge) return <EdgeDetails edge={edge} graph={graph} problems={problems.filter((p) => p.edgeId === edge.id)} onSelect={onSelect} />;
  }
  return (
    <section className="panel__section">
      <h2 className="panel__title">Details</h2>
      <p className="muted">Select a node or an edge on the canvas to see its settings.</p>
      <p className="muted small">
        {graph.nodes.length} nodes · {graph.edges.length} edges
      </p>
    </section>
  );
}

function nodeLabel(graph: PlaybookGraph, id: string): string {
  const node = graph.nodes.find((n) => n.id === id);
  return node ? node.name || node.id : `${id} (missing)`;
}

function NodeLink({ graph, id, onSelect }: { graph: PlaybookGraph; id: string; onSelect: Props['onSelect'] }) {
  return (
    <button type="button" className="linklike" onClick={() => onSelect({ type: 'node', id })}>
      {nodeLabel(graph, id)}
    </button>
  );
}

function ProblemNotes({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problem-notes">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

function NodeDetails({
  node,
  graph,
  problems,
  onSelect,
}: {
  node: GraphNode;
  graph: PlaybookGraph;
  problems: readonly Problem[];
  onSelect: Props['onSelect'];
}) {
  const [raw, setRaw] = useState(false);
  const kind = kindStyle(node.kind);
  const outgoing = graph.edges.filter((e) => e.source === node.id);
  const incoming = graph.edges.filter((e) => e.target === node.id);

  return (
    <section className="panel__section">
      <div className="inspector__kind" style={{ color: kind.color }}>
        <span aria-hidden="true">{kind.icon}</span> {kind.label}
      </div>
      <h2 className="panel__title">{node.name || node.id}</h2>
      <p className="small muted">
        id <code>{node.id}</code>
      </p>
      <ProblemNotes problems={problems} />

      <div className="panel__subhead">
        <h3>Settings</h3>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => setRaw((r) => !r)}>
          {raw ? 'Formatted' : 'JSON'}
        </button>
      </div>
      {raw ? <pre className="json">{JSON.stringify(node.config, null, 2)}</pre> : <ValueView value={node.config} />}

      <h3>Connections</h3>
      {outgoing.length === 0 && incoming.length === 0 && <p className="muted small">Not connected.</p>}
      <ul className="connections">
        {incoming.map((e) => (
          <li key={e.id}>
            <span className="muted">from</span> <NodeLink graph={graph} id={e.source} onSelect={onSelect} /> <span className="pill">{e.sourceHandle}</span>
          </li>
        ))}
        {outgoing.map((e) => (
          <li key={e.id}>
            <span className="pill">{e.sourceHandle}</span> <span className="muted">→</span> <NodeLink graph={graph} id={e.target} onSelect={onSelect} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function EdgeDetails({
  edge,
  graph,
  problems,
  onSelect,
}: {
  edge: GraphEdge;
  graph: PlaybookGraph;
  problems: readonly Problem[];
  onSelect: Props['onSelect'];
}) {
  return (
    <section className="panel__section">
      <div className="inspector__kind">Edge</div>
      <h2 className="panel__title">
        <span className="pill">{edge.sourceHandle}</span>
      </h2>
      <p className="small muted">
        id <code>{edge.id}</code>
      </p>
      <ProblemNotes problems={problems} />
      <dl className="kv">
        <div className="kv__row">
          <dt>From</dt>
          <dd>
            <NodeLink graph={graph} id={edge.source} onSelect={onSelect} />
          </dd>
        </div>
        <div className="kv__row">
          <dt>Handle</dt>
          <dd>{edge.sourceHandle}</dd>
        </div>
        <div className="kv__row">
          <dt>To</dt>
          <dd>
            <NodeLink graph={graph} id={edge.target} onSelect={onSelect} />
          </dd>
        </div>
      </dl>
    </section>
  );
}
