import { memo } from 'react';
import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';
import { EdgeLabel } from './EdgeLabel';
import type { Point } from './layout';

export type RoutedEdgeData = { points: readonly Point[] };
export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

/**
 * An edge along the orthogonal route elk computed at the last auto-layout, so it runs between the
 * steps rather than through them. The route's ends are pinned to where React Flow draws the
 * handles (a first or last horizontal leg follows them), so it still meets them exactly.
 */
function RoutedEdgeView({ id, sourceX, sourceY, targetX, targetY, data, markerEnd, style, label }: EdgeProps<RoutedFlowEdge>) {
  const route = data?.points ?? [];
  const pts: Point[] =
    route.length >= 2
      ? route.map((p) => ({ ...p }))
      : [
          { x: sourceX, y: sourceY },
          { x: targetX, y: targetY },
        ];
  const n = pts.length;
  if (n > 2 && route[1].y === route[0].y) pts[1].y = sourceY;
  if (n > 2 && route[n - 2].y === route[n - 1].y) pts[n - 2].y = targetY;
  pts[0] = { x: sourceX, y: sourceY };
  pts[n - 1] = { x: targetX, y: targetY };
  const path = pts.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
  // The label sits on the first long-enough leg from the source: branch names read best near their step.
  let at = { x: (pts[0].x + pts[n - 1].x) / 2, y: (pts[0].y + pts[n - 1].y) / 2 };
  let longest = -1;
  for (let i = 0; i < n - 1; i++) {
    const len = Math.abs(pts[i + 1].x - pts[i].x) + Math.abs(pts[i + 1].y - pts[i].y);
    const mid = { x: (pts[i].x + pts[i + 1].x) / 2, y: (pts[i].y + pts[i + 1].y) / 2 };
    if (len >= 60) {
      at = mid;
      break;
    }
    if (len > longest) {
      longest = len;
      at = mid;
    }
  }
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      <EdgeLabel x={at.x} y={at.y} label={label} />
    </>
  );
}

export const RoutedEdge = memo(RoutedEdgeView);
