import { memo, useEffect, useMemo } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, useNodesState, type Edge, type Node, type NodeProps, type NodeTypes } from '@xyflow/react';
import { toFlow, type PlaybookNodeData } from '../canvas/convert';
import { PlaybookNode } from '../canvas/PlaybookNode';
import type { PlaybookGraph } from '../types';
import type { PathCounts } from './types';

type NodeState = 'active' | 'visited' | 'unvisited';
type AuditNodeData = PlaybookNodeData & { state: NodeState; runs: number };
type AuditFlowNode = Node<AuditNodeData, 'playbook'>;

/** The designer's node, plus how the run went through it: highlighted, faded, and a badge when it ran more than once. */
function AuditNodeView(props: NodeProps<AuditFlowNode>) {
  const { state, runs } = props.data;
  return (
    <div className={`audit-node audit-node--${state}`} data-testid="audit-node" data-node-id={props.id} data-state={state} data-runs={runs}>
      <PlaybookNode {...props} />
      {runs > 1 && (
        <span className="audit-node__runs" title={`Ran ${runs} times`} aria-label={`ran ${runs} times`}>
          ×{runs}
        </span>
      )}
    </div>
  );
}

// Module level: React Flow re-mounts every node when nodeTypes changes identity.
const nodeTypes: NodeTypes = { playbook: memo(AuditNodeView) };

interface Props {
  graph: PlaybookGraph;
  /** The path so far: how often each node was entered and each `<source>:<handle>` taken. */
  path: PathCounts;
  active: ReadonlySet<string>;
}

/** The playbook version's graph, read-only, with the attempt's path and the selected moment painted on. */
export function AuditCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <CanvasInner {...props} />
    </ReactFlowProvider>
  );
}

function decorate(data: PlaybookNodeData, id: string, path: PathCounts, active: ReadonlySet<string>): AuditNodeData {
  const runs = path.nodes[id] ?? 0;
  const state: NodeState = active.has(id) ? 'active' : runs > 0 ? 'visited' : 'unvisited';
  // `visits` stays unset: the node's own badge speaks of the designer's simulation; ours is drawn above.
  return { ...data, visits: undefined, active: state === 'active', state, runs };
}

function CanvasInner({ graph, path, active }: Props) {
  const flow = useMemo(() => toFlow(graph), [graph]);
  const [nodes, setNodes, onNodesChange] = useNodesState<AuditFlowNode>(flow.nodes.map((n) => ({ ...n, data: decorate(n.data, n.id, path, active) })));

  // Decorations change as the scrubber moves; the nodes keep their measured size and position.
  useEffect(() => {
    setNodes((ns) => ns.map((n) => ({ ...n, data: decorate(n.data, n.id, path, active) })));
  }, [path, active, setNodes]);

  const edges = useMemo<Edge[]>(
    () =>
      flow.edges.map((e) => {
        const taken = path.edges[`${e.source}:${e.sourceHandle ?? ''}`] ?? 0;
        // The node already names each way out; the edge carries only how often it was taken.
        return {
          ...e,
          label: taken ? `${taken}×` : undefined,
          className: taken ? 'audit-edge audit-edge--taken' : 'audit-edge audit-edge--untaken',
          zIndex: taken ? 1 : 0,
          data: { taken },
        };
      }),
    [flow, path],
  );

  return (
    <ReactFlow<AuditFlowNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      edgesFocusable={false}
      deleteKeyCode={null}
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
      minZoom={0.2}
      maxZoom={2}
    >
      <Background gap={20} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
