import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from '@xyflow/react';

/**
 * A branch's words on its edge, drawn in HTML above the edges, centred on (x, y) by CSS. React
 * Flow's own SVG label is hidden until an effect has measured its text (getBBox) and rendered it
 * again at that size: on opening a playbook that forced a layout of the whole page before the
 * first frame and a second render of every labelled edge in view.
 */
export function EdgeLabel({ x, y, label }: { x: number; y: number; label: EdgeProps['label'] }) {
  if (label === undefined || label === null || label === '') return null;
  return (
    <EdgeLabelRenderer>
      <div className="react-flow__edge-text ds-edge-label" style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}>
        {label}
      </div>
    </EdgeLabelRenderer>
  );
}

/** React Flow's smooth-step edge, labelled with EdgeLabel. */
function BranchEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  markerEnd,
  markerStart,
  style,
  label,
  interactionWidth,
}: EdgeProps) {
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} markerStart={markerStart} style={style} interactionWidth={interactionWidth} />
      <EdgeLabel x={labelX} y={labelY} label={label} />
    </>
  );
}

export const BranchEdge = memo(BranchEdgeView);
