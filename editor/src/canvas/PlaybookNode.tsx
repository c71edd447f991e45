import { memo, type CSSProperties } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { PlaybookFlowNode } from './convert';
import { kindStyle, summarize } from './nodeKinds';

/** One component for every node kind: kinds differ in colour, summary and handles, all derived from data. */
function PlaybookNodeView({ data, selected }: NodeProps<PlaybookFlowNode>) {
  const { node, handles, strayHandles, hasProblem } = data;
  const kind = kindStyle(node.kind);
  const classes = ['pb-node', selected && 'is-selected', hasProblem && 'has-problem'].filter(Boolean).join(' ');
  const outs = [...handles.map((h) => ({ h, stray: false })), ...strayHandles.map((h) => ({ h, stray: true }))];

  return (
    <div className={classes} style={{ '--kind-color': kind.color } as CSSProperties}>
      {node.kind !== 'start' && <Handle type="target" position={Position.Left} className="pb-handle pb-handle--in" />}
      <div className="pb-node__head">
        <span className="pb-node__icon" aria-hidden="true">
          {kind.icon}
        </span>
        <span className="pb-node__kind">{kind.label}</span>
        {hasProblem && (
          <span className="pb-node__warn" title="This node has problems">
            !
          </span>
        )}
      </div>
      <div className="pb-node__body">
        <div className="pb-node__name">{node.name || node.id}</div>
        <div className="pb-node__summary">{summarize(node)}</div>
      </div>
      {outs.length > 0 && (
        <div className="pb-node__outs">
          {outs.map(({ h, stray }) => (
            <div key={h} className={stray ? 'pb-node__out is-stray' : 'pb-node__out'} title={stray ? `"${h}" is not an outcome of this node` : undefined}>
              <span>{h}</span>
              <Handle type="source" position={Position.Right} id={h} className="pb-handle pb-handle--out" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const PlaybookNode = memo(PlaybookNodeView);
