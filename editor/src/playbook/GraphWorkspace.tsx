import { useMemo, type ReactNode } from 'react';
import { heatOverlay } from '../analytics/heat';
import { PlaybookCanvas, type CanvasSelection } from '../canvas/PlaybookCanvas';
import type { NodeBadge } from '../canvas/overlay';
import { Empty } from '../components/Status';
import type { PlaybookGraph, Problem } from '../types';
import type { HeatView } from './HeatmapBar';
import { Inspector } from './Inspector';

interface Props {
  /** Identifies which graph is shown; a new value gives the canvas a fresh, fitted viewport. */
  viewKey: string;
  graph: PlaybookGraph;
  problems: readonly Problem[];
  selection: CanvasSelection;
  onSelect: (selection: CanvasSelection) => void;
  focusSeq: number;
  /** Extra side-panel content below the inspector (e.g. the problem list). */
  aside?: ReactNode;
  /** The step heatmap drawn over the graph, when it is on. */
  heat?: HeatView | null;
  /** Running attempts and incidents per step of the shown version. */
  badges?: Record<string, NodeBadge>;
}

export function GraphWorkspace({ viewKey, graph, problems, selection, onSelect, focusSeq, aside, heat, badges }: Props) {
  const overlay = useMemo(() => (heat ? heatOverlay(heat.report, graph, heat.mode) : undefined), [heat, graph]);
  return (
    <div className="workspace">
      <div className="workspace__canvas">
        {graph.nodes.length === 0 ? (
          <Empty title="Empty graph">This playbook has no nodes yet.</Empty>
        ) : (
          <PlaybookCanvas
            key={viewKey}
            graph={graph}
            problems={problems}
            selection={selection}
            onSelect={onSelect}
            focusSeq={focusSeq}
            overlay={overlay}
            badges={badges}
          />
        )}
      </div>
      <aside className="panel">
        <Inspector graph={graph} selection={selection} problems={problems} onSelect={onSelect} />
        {aside}
      </aside>
    </div>
  );
}
