/**
 * Figures drawn over a read-only canvas (the playbook heatmap): per node a colour level and a line
 * of text, per edge a level and a count. Levels run 0 (little) to 4 (most); -1 means none at all.
 */
export interface NodeHeat {
  level: number;
  text: string;
  title: string;
}
export interface EdgeHeat {
  level: number;
  text: string;
}
export interface CanvasOverlay {
  nodes: Record<string, NodeHeat>;
  edges: Record<string, EdgeHeat>;
}

/** What a node's data carries while an overlay is on (beside convert.ts's PlaybookNodeData). */
export type HeatNodeData = { heat?: NodeHeat };

/** Fill and text colours per level (pale yellow to dark red), readable at every step. */
export const HEAT_COLOURS = [
  { fill: '#fff3c4', text: '#3f2a00' },
  { fill: '#fdd78a', text: '#3f2a00' },
  { fill: '#f9a24b', text: '#2b1600' },
  { fill: '#e0592a', text: '#ffffff' },
  { fill: '#a51f1f', text: '#ffffff' },
] as const;
export const HEAT_NONE = { fill: '#e2e8f0', text: '#334155' } as const;

export const heatColour = (level: number) => (level < 0 ? HEAT_NONE : HEAT_COLOURS[Math.min(level, HEAT_COLOURS.length - 1)]);

/**
 * Counts pinned to a node (the attempts running at it and its open incidents), beside the heatmap;
 * the operator's view of a version. `tone` bad when something there needs an operator.
 */
export interface NodeBadge {
  text: string;
  title: string;
  tone: 'info' | 'bad';
}
export type BadgeNodeData = { badge?: NodeBadge };
