import { memo, useMemo, type PointerEvent, type WheelEvent } from 'react';
import { Panel, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react';
import type { PlaybookFlowNode } from '../canvas/convert';
import { kindStyle } from '../canvas/nodeKinds';

const WIDTH = 150;
const HEIGHT = 100;
/** Room around the drawing, in map pixels (React Flow's MiniMap offsetScale). */
const OFFSET = 5;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const selectView = (s: ReactFlowState): Rect => ({
  x: -s.transform[0] / s.transform[2],
  y: -s.transform[1] / s.transform[2],
  width: s.width / s.transform[2],
  height: s.height / s.transform[2],
});
const sameRect = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/**
 * The overview map (bottom right): every step as a rectangle in its kind's colour, the view as a
 * window in a grey mask; a click or drag moves the view there, the wheel zooms. React Flow's
 * MiniMap draws the same, but as one component and one store subscription per node: on a
 * 500-step playbook that was 500 more components to render on opening (~100 ms before the first
 * click could be handled) and 500 selectors to run on every change of the view. This draws one
 * path per colour from the nodes the canvas already has, and follows the view with one subscription.
 */
function OverviewMapView({ nodes, ariaLabel }: { nodes: readonly PlaybookFlowNode[]; ariaLabel: string }) {
  const view = useStore(selectView, sameRect);
  const { setCenter, getZoom, zoomTo } = useReactFlow();

  const { paths, bounds } = useMemo(() => {
    const byColor = new Map<string, string[]>();
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const n of nodes) {
      const w = n.measured?.width ?? n.width ?? n.initialWidth ?? 0;
      const h = n.measured?.height ?? n.height ?? n.initialHeight ?? 0;
      if (n.hidden || !w || !h) continue;
      const { x, y } = n.position;
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x + w);
      y2 = Math.max(y2, y + h);
      const color = kindStyle(n.data.node.kind).color;
      let list = byColor.get(color);
      if (!list) byColor.set(color, (list = []));
      list.push(`M${x},${y}h${w}v${h}h${-w}z`);
    }
    return {
      paths: [...byColor].map(([color, d]) => ({ color, d: d.join('') })),
      bounds: x1 <= x2 ? { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } : null,
    };
  }, [nodes]);

  // As React Flow's MiniMap: the nodes and the view together, scaled to fit, centred, with a margin.
  const all = bounds
    ? {
        x: Math.min(bounds.x, view.x),
        y: Math.min(bounds.y, view.y),
        width: Math.max(bounds.x + bounds.width, view.x + view.width) - Math.min(bounds.x, view.x),
        height: Math.max(bounds.y + bounds.height, view.y + view.height) - Math.min(bounds.y, view.y),
      }
    : view;
  const scale = Math.max(all.width / WIDTH, all.height / HEIGHT) || 1;
  const offset = OFFSET * scale;
  const box = {
    x: all.x - (scale * WIDTH - all.width) / 2 - offset,
    y: all.y - (scale * HEIGHT - all.height) / 2 - offset,
    width: scale * WIDTH + offset * 2,
    height: scale * HEIGHT + offset * 2,
  };

  const moveTo = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = box.x + ((e.clientX - r.left) / r.width) * box.width;
    const y = box.y + ((e.clientY - r.top) / r.height) * box.height;
    void setCenter(x, y, { zoom: getZoom() });
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap" style={{ width: WIDTH, height: HEIGHT }} data-testid="rf__minimap">
      <svg
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label={ariaLabel}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          moveTo(e);
        }}
        onPointerMove={(e) => {
          if (e.currentTarget.hasPointerCapture(e.pointerId)) moveTo(e);
        }}
        onWheel={(e: WheelEvent<SVGSVGElement>) => void zoomTo(getZoom() * (e.deltaY < 0 ? 1.2 : 1 / 1.2))}
      >
        {paths.map((p) => (
          <path key={p.color} className="react-flow__minimap-node" d={p.d} style={{ fill: p.color }} shapeRendering="crispEdges" />
        ))}
        <path
          className="react-flow__minimap-mask"
          d={`M${box.x - offset},${box.y - offset}h${box.width + offset * 2}v${box.height + offset * 2}h${-box.width - offset * 2}z
        M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
}

export const OverviewMap = memo(OverviewMapView);
