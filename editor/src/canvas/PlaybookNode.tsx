import { memo, type CSSProperties } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { PlaybookFlowNode } from './convert';
import { kindStyle, summarize } from './nodeKinds';
import { heatColour, type BadgeNodeData, type HeatNodeData } from './overlay';

/** One component for every node kind: kinds differ in colour, summary and handles, all derived from data. */
function PlaybookNodeView({ data, selected, isConnectable }: NodeProps<PlaybookFlowNode>) {
  const { node, handles, strayHandles, hasProblem, problemText, visits, active, diff } = data;
  const kind = kindStyle(node.kind);
  const { heat } = data as HeatNodeData;
  const { badge } = data as BadgeNodeData;
  const classes = ['pb-node', selected && 'is-selected', hasProblem && 'has-problem', visits && 'is-visited', active && 'is-active', diff && `diff-${diff}`]
    .filter(Boolean)
    .join(' ');
  const outs = [...handles.map((h) => ({ h, stray: false })), ...strayHandles.map((h) => ({ h, stray: true }))];

  return (
    <div className={classes} style={{ '--kind-color': kind.color } as CSSProperties} data-testid="pb-node" data-node-id={node.id} title={problemText}>
      {node.kind !== 'start' && <Handle type="target" position={Position.Left} className="pb-handle pb-handle--in" isConnectable={isConnectable} />}
      <div className="pb-node__head">
        <span className="pb-node__icon" aria-hidden="true">
          {kind.icon}
        </span>
        <span className="pb-node__kind">{kind.label}</span>
        {visits ? (
          <span className="pb-node__visits" title={`Entered ${visits} time${visits === 1 ? '' : 's'} in the simulation`}>
            {visits}×
          </span>
        ) : null}
        {hasProblem && (
          <span className="pb-node__warn" aria-label="This step has problems">
            !
          </span>
        )}
      </div>
      <div className="pb-node__body">
        <div className="pb-node__name">{node.name || node.id}</div>
        <div className="pb-node__summary">{summarize(node)}</div>
      </div>
      {heat && (
        <div
          className="pb-node__heat"
          style={{ ...HEAT_BADGE, background: heatColour(heat.level).fill, color: heatColour(heat.level).text }}
          title={heat.title}
        >
          {heat.text}
        </div>
      )}
      {badge && (
        <div
          className="pb-node__count"
          style={{ ...HEAT_BADGE, ...(badge.tone === 'bad' ? COUNT_BAD : COUNT_INFO) }}
          title={badge.title}
          data-testid="pb-node-count"
        >
          {badge.text}
        </div>
      )}
      {outs.length > 0 && (
        <div className="pb-node__outs">
          {outs.map(({ h, stray }) => (
            <div key={h} className={stray ? 'pb-node__out is-stray' : 'pb-node__out'} title={stray ? `"${h}" is not an outcome of this node` : undefined}>
              <span>{h.replace(/_/g, ' ')}</span>
              <Handle type="source" position={Position.Right} id={h} className="pb-handle pb-handle--out" isConnectable={isConnectable} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** The heatmap's line under the node's name (inline: the overlay brings no stylesheet to the designer). */
const HEAT_BADGE: CSSProperties = { padding: '3px 10px', fontSize: 12, fontWeight: 600, borderTop: '1px solid rgb(0 0 0 / 8%)' };

const COUNT_INFO: CSSProperties = { background: '#dbeafe', color: '#1e3a8a' };
const COUNT_BAD: CSSProperties = { background: '#fee2e2', color: '#7f1d1d' };

export const PlaybookNode = memo(PlaybookNodeView);
