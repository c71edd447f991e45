import type { PlaybookGraph } from '../types';

/**
 * Where the designer's camera opens: readable first. Step names are 13 px at zoom 1; fitting a
 * playbook of any size onto one screen shrinks them to a few pixels (2.6 px for the tiered
 * win-back at 1,440 px), so the whole graph is fitted only when that keeps names at 11 px or more.
 * Otherwise it opens at zoom 1 on the start step and the ops manager scrolls; "Fit" still shows
 * everything on request.
 */

/** The font size of a step's name on the canvas at zoom 1 (styles.css `.pb-node__name`). */
export const NAME_FONT_PX = 13;
/** The smallest on-screen size of a step's name the opening view accepts. */
export const READABLE_PX = 11;
export const READABLE_ZOOM = READABLE_PX / NAME_FONT_PX;
/** A node that has not been measured yet (the canvas node is 200 px wide; ~110 px tall with two handles). */
export const DEFAULT_NODE_SIZE = { width: 200, height: 110 };

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

type Sizes = ReadonlyMap<string, { width: number; height: number }>;

function bounds(graph: PlaybookGraph, sizes: Sizes) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of graph.nodes) {
    const s = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
    maxX = Math.max(maxX, n.position.x + s.width);
    maxY = Math.max(maxY, n.position.y + s.height);
  }
  return { minX, minY, width: maxX - minX, height: maxY - minY };
}

/**
 * The opening viewport for a pane of `width` × `height` px: the whole graph when it fits at a
 * readable zoom (never above 1), else zoom 1 anchored on the start step, at the left middle of a
 * left-to-right playbook or the top centre of a top-to-bottom one. Null for an empty graph.
 */
export function readableViewport(graph: PlaybookGraph, width: number, height: number, sizes: Sizes = new Map(), padding = 0.1): Viewport | null {
  if (graph.nodes.length === 0 || width <= 0 || height <= 0) return null;
  const b = bounds(graph, sizes);
  const fit = Math.min((width * (1 - 2 * padding)) / Math.max(b.width, 1), (height * (1 - 2 * padding)) / Math.max(b.height, 1));
  if (fit >= READABLE_ZOOM) {
    const zoom = Math.min(fit, 1);
    return { zoom, x: width / 2 - (b.minX + b.width / 2) * zoom, y: height / 2 - (b.minY + b.height / 2) * zoom };
  }
  const zoom = 1;
  const start = graph.nodes.find((n) => n.kind === 'start') ?? graph.nodes[0];
  const size = sizes.get(start.id) ?? DEFAULT_NODE_SIZE;
  const topDown = b.height > b.width;
  if (topDown) return { zoom, x: width / 2 - (start.position.x + size.width / 2) * zoom, y: 40 - start.position.y * zoom };
  // Left to right: the start at the left edge, and the graph's vertical middle when it fits, else the start's.
  const centreY = b.height * zoom <= height ? b.minY + b.height / 2 : start.position.y + size.height / 2;
  return { zoom, x: 48 - start.position.x * zoom, y: height / 2 - centreY * zoom };
}

/** On-screen size (px) of a step's name at this zoom. */
export const labelPx = (zoom: number): number => Math.round(NAME_FONT_PX * zoom * 10) / 10;
