import { useCallback } from 'react';
import { findNodeKind } from '../../../playbooks/nodes';
import { handlesOf } from '../canvas/convert';
import { handleLabel, kindStyle } from '../canvas/nodeKinds';
import type { GraphEdge, PlaybookGraph, Problem } from '../types';
import { NodeForm } from './form/NodeForm';
import { describe, stepName } from './problemText';
import type { Selection } from './useDesigner';

interface Props {
  graph: PlaybookGraph;
  selection: Selection;
  problems: readonly Problem[];
  epoch: number;
  editable: boolean;
  playbook: { key: string; name: string; description: string };
  onPlaybookChange(patch: { name?: string; description?: string }): void;
  onRename(nodeId: string, name: string): void;
  onConfigChange(nodeId: string, config: Record<string, unknown>): void;
  onDelete(): void;
  onCopy(): void;
  onSelectNode(id: string): void;
  /** Lead a branch of a step to another step, or (null) disconnect it: connecting without a mouse. */
  onConnect(source: string, handle: string, target: string | null): void;
}

/** A step's problems in words, one line per code (the compiler's wording stays in the Problems tab's details). */
function ProblemNotes({ problems, graph, nodeId, label }: { problems: readonly Problem[]; graph: PlaybookGraph; nodeId: string | null; label: string }) {
  const byCode = new Map<string, Problem[]>();
  for (const p of problems) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p]);
  if (byCode.size === 0) return null;
  return (
    <ul className="problem-notes" aria-label={label}>
      {[...byCode].map(([code, list]) => {
        const s = describe(code, list, graph, nodeId);
        return (
          <li key={code}>
            {s.text} <span className="problem-notes__fix">{s.fix}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The side panel's settings: the selected step's form, a connection, several things, or the playbook itself. */
export function SettingsPanel(p: Props) {
  const nodeIds = [...p.selection.nodes].filter((id) => p.graph.nodes.some((n) => n.id === id));
  const edgeIds = [...p.selection.edges].filter((id) => p.graph.edges.some((e) => e.id === id));
  if (nodeIds.length === 1 && edgeIds.length === 0) return <NodeSettings {...p} nodeId={nodeIds[0]} />;
  if (nodeIds.length === 0 && edgeIds.length === 1) return <EdgeSettings {...p} edgeId={edgeIds[0]} />;
  if (nodeIds.length + edgeIds.length > 1) {
    return (
      <section className="panel__section">
        <h2 className="panel__title">
          {nodeIds.length} steps, {edgeIds.length} connections selected
        </h2>
        <p className="muted small">Copy them with Ctrl+C and paste with Ctrl+V; the connections between copied steps come along.</p>
        <div className="button-row">
          <button type="button" className="btn btn--small" onClick={p.onCopy} disabled={nodeIds.length === 0}>
            Copy
          </button>
          <button type="button" className="btn btn--small btn--danger-ghost" onClick={p.onDelete} disabled={!p.editable}>
            Delete
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="panel__section">
      <h2 className="panel__title">Playbook</h2>
      <div className="field">
        <label htmlFor="pb-name">Name</label>
        <input id="pb-name" type="text" value={p.playbook.name} disabled={!p.editable} onChange={(e) => p.onPlaybookChange({ name: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="pb-description">Description</label>
        <textarea
          id="pb-description"
          rows={4}
          value={p.playbook.description}
          disabled={!p.editable}
          onChange={(e) => p.onPlaybookChange({ description: e.target.value })}
        />
      </div>
      <p className="muted small">
        Key <code>{p.playbook.key}</code> · {p.graph.nodes.length} steps · {p.graph.edges.length} connections
      </p>
      <p className="muted small">
        Select a step on the canvas to edit its settings. Drag steps in from the left; connect a labelled handle on a step’s right edge to the next step.
      </p>
    </section>
  );
}

function NodeSettings({ graph, problems, epoch, editable, onRename, onConfigChange, onDelete, onSelectNode, onConnect, nodeId }: Props & { nodeId: string }) {
  const index = graph.nodes.findIndex((n) => n.id === nodeId);
  const node = graph.nodes[index];
  const kind = findNodeKind(node.kind);
  const style = kindStyle(node.kind);
  const mine = problems.filter((p) => p.nodeId === nodeId);
  const onChange = useCallback((config: Record<string, unknown>) => onConfigChange(nodeId, config), [nodeId, onConfigChange]);
  const out = graph.edges.filter((e) => e.source === nodeId);
  return (
    <section className="panel__section node-settings" style={{ borderTop: `3px solid ${style.color}` }}>
      <div className="inspector__kind">
        <span aria-hidden="true">{style.icon}</span> {style.label} · <code>{node.id}</code>
      </div>
      {kind && <p className="muted small">{kind.description}</p>}
      <div className="field">
        <label htmlFor="node-name">Step name</label>
        <input id="node-name" type="text" value={node.name ?? ''} maxLength={200} disabled={!editable} onChange={(e) => onRename(nodeId, e.target.value)} />
      </div>
      <ProblemNotes problems={mine} graph={graph} nodeId={nodeId} label="Problems of this step" />
      <fieldset className="form-frame" disabled={!editable}>
        <NodeForm key={`${nodeId}:${epoch}`} node={node} index={index} graph={graph} problems={mine} onConfigChange={onChange} />
      </fieldset>
      <Connections graph={graph} nodeId={nodeId} out={out} editable={editable} onConnect={onConnect} onSelectNode={onSelectNode} />
      <div className="button-row">
        <button type="button" className="btn btn--small btn--danger-ghost" onClick={onDelete} disabled={!editable}>
          Delete step
        </button>
      </div>
    </section>
  );
}

function EdgeSettings({ graph, problems, editable, onDelete, onSelectNode, edgeId }: Props & { edgeId: string }) {
  const edge = graph.edges.find((e) => e.id === edgeId)!;
  const source = graph.nodes.find((n) => n.id === edge.source);
  const name = (id: string) => {
    const n = graph.nodes.find((x) => x.id === id);
    return n ? stepName(n) : id;
  };
  const mine = problems.filter((p) => p.edgeId === edgeId);
  return (
    <section className="panel__section">
      <div className="inspector__kind">Connection</div>
      <h2 className="panel__title">
        {name(edge.source)} → {name(edge.target)}
      </h2>
      <dl className="kv">
        <div className="kv__row">
          <dt>From</dt>
          <dd>
            <button type="button" className="linklike" onClick={() => onSelectNode(edge.source)}>
              {name(edge.source)}
            </button>
          </dd>
        </div>
        <div className="kv__row">
          <dt>When</dt>
          <dd>{source ? handleLabel(source, edge.sourceHandle) : edge.sourceHandle}</dd>
        </div>
        <div className="kv__row">
          <dt>To</dt>
          <dd>
            <button type="button" className="linklike" onClick={() => onSelectNode(edge.target)}>
              {name(edge.target)}
            </button>
          </dd>
        </div>
      </dl>
      <ProblemNotes problems={mine} graph={graph} nodeId={edge.source} label="Problems of this connection" />
      <p className="muted small">To send this branch elsewhere, drag from its handle to another step: the connection is replaced.</p>
      <div className="button-row">
        <button type="button" className="btn btn--small btn--danger-ghost" onClick={onDelete} disabled={!editable}>
          Delete connection
        </button>
      </div>
    </section>
  );
}

/**
 * Where each branch of the step leads, as one list box per handle: the keyboard way to connect
 * (Tab to a branch, pick the step), the same edit as dragging from the handle on the canvas.
 */
function Connections({
  graph,
  nodeId,
  out,
  editable,
  onConnect,
  onSelectNode,
}: {
  graph: PlaybookGraph;
  nodeId: string;
  out: GraphEdge[];
  editable: boolean;
  onConnect: Props['onConnect'];
  onSelectNode: Props['onSelectNode'];
}) {
  const node = graph.nodes.find((n) => n.id === nodeId)!;
  const handles = [...new Set([...handlesOf(node, graph.edges), ...out.map((e) => e.sourceHandle)])];
  if (handles.length === 0) return null;
  const targets = graph.nodes.filter((n) => n.id !== nodeId && n.kind !== 'start');
  return (
    <section className="connections" aria-label="Where this step leads">
      <h3>Leads to</h3>
      {handles.map((h, i) => {
        const edge = out.find((e) => e.sourceHandle === h);
        const label = handleLabel(node, h);
        const id = `connect-${nodeId}-${i}`;
        const target = edge ? graph.nodes.find((n) => n.id === edge.target) : undefined;
        return (
          <div className="connections__row" key={h}>
            <label htmlFor={id} className="connections__handle">
              {h === 'next' ? 'Then' : label}
            </label>
            <select
              id={id}
              data-connect-handle={h}
              value={edge?.target ?? ''}
              disabled={!editable}
              onChange={(e) => onConnect(nodeId, h, e.target.value || null)}
            >
              <option value="">Not connected</option>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {stepName(t)}
                  {stepName(t) !== t.id ? ` (${t.id})` : ''}
                </option>
              ))}
            </select>
            {target && (
              <button type="button" className="linklike connections__go" onClick={() => onSelectNode(target.id)} aria-label={`Go to ${stepName(target)}`}>
                →
              </button>
            )}
          </div>
        );
      })}
    </section>
  );
}
