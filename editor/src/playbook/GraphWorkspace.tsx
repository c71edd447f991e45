import type { ReactNode } from 'react';
import { PlaybookCanvas, type CanvasSelection } from '../canvas/PlaybookCanvas';
import { Empty } from '../components/Status';
import type { PlaybookGraph, Problem } from '../types';
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
}

export function GraphWorkspace({ viewKey, graph, problems, selection, onSelect, focusSeq, aside }: Props) {
  return (
    <div className="workspace">
      <div className="workspace__canvas">
        {graph.nodes.length === 0 ? (
          <Empty title="Empty graph">This playbook has no nodes yet.</Empty>
        ) : (
          <PlaybookCanvas key={viewKey} graph={graph} problems={problems} selection={selection} onSelect={onSelect} focusSeq={focusSeq} />
        )}
      </div>
      <aside className="panel">
        <Inspector graph={graph} selection={selection} problems={problems} onSelect={onSelect} />
        {aside}
      </aside>
    </div>
  );
}
