import type { NodeHandle } from '@xyflow/react';
import type { GraphNode } from '../types';

/**
 * A designer node's size and handle positions before React Flow has rendered it once, from the
 * node's layout in styles.css (`.pb-node`: 200 px wide, a head, the name, a one-line summary, one
 * 20.5 px row per outgoing handle). React Flow renders every node it has not measured yet, even with
 * `onlyRenderVisibleElements`, just to measure it: a 500-step playbook opened by mounting and laying
 * out all 500 nodes, then unmounting all but the dozen on screen, which was most of its time to
 * interactive. Given these estimates it renders only the nodes in view; each one is measured in the
 * DOM when it first renders and the estimate is dropped (flowCache), so the estimate only ever places
 * the far ends of edges that leave the screen. Measured in Chromium for every seeded template.
 */
export const NODE_WIDTH = 200;
/** A node with no outgoing handles (an end) and a one-line name. */
const BASE_HEIGHT = 77.4;
/** The rows' top border and padding. */
const OUTS_FRAME = 9;
const OUT_ROW = 20.5;
/** `.pb-node__name`: 13 px at line-height 1.3. */
const NAME_LINE = 16.9;
/** The name's box: the node's width less its borders and the body's padding. */
const NAME_WIDTH = NODE_WIDTH - 2 - 20;
const HANDLE = 12;
/** The first source handle's top on a node with a one-line name. */
const FIRST_OUT_TOP = 85.6;

export interface EstimatedGeometry {
  width: number;
  height: number;
  handles: NodeHandle[];
}

let context: CanvasRenderingContext2D | null | undefined;
const linesCache = new Map<string, number>();
const charWidths = new Map<string, number>();

/**
 * The name's width as the sum of its characters' widths, each measured once: at least the width
 * the browser draws (kerning and ligatures only narrow a line), so a name it puts well inside the
 * box fits for certain. A 500-step playbook's names took ~35 ms measured one by one before its
 * first frame; a few dozen distinct characters take a fraction of that.
 */
function widthBound(ctx: CanvasRenderingContext2D, text: string): number {
  let width = 0;
  for (const ch of text) {
    let w = charWidths.get(ch);
    if (w === undefined) {
      w = ctx.measureText(ch).width;
      charWidths.set(ch, w);
    }
    width += w;
  }
  return width;
}

/** How many lines the name wraps to, measured with the canvas font (one per name, cached). */
function nameLines(name: string): number {
  const known = linesCache.get(name);
  if (known !== undefined) return known;
  if (context === undefined) {
    context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (context) context.font = `600 13px ${getComputedStyle(document.documentElement).getPropertyValue('--font') || 'sans-serif'}`;
  }
  let lines = 1;
  if (!context) lines = Math.max(1, Math.ceil((name.length * 7.2) / NAME_WIDTH));
  // Most names fit on one line with room to spare; only the others are measured word by word.
  else if (widthBound(context, name) > NAME_WIDTH - 2 && context.measureText(name).width > NAME_WIDTH) {
    let line = '';
    for (const word of name.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (line && context.measureText(next).width > NAME_WIDTH) {
        lines++;
        line = word;
      } else line = next;
    }
  }
  linesCache.set(name, lines);
  return lines;
}

/** Size and handles of a node drawn with `outs` outgoing handles (its kind's and any stray ones, in order). */
export function estimateGeometry(node: GraphNode, outs: readonly string[]): EstimatedGeometry {
  const extra = (nameLines(node.name || node.id) - 1) * NAME_LINE;
  const height = BASE_HEIGHT + extra + (outs.length ? OUTS_FRAME + outs.length * OUT_ROW : 0);
  const handles: NodeHandle[] = outs.map((id, i) => ({
    id,
    type: 'source',
    position: 'right' as NodeHandle['position'],
    x: NODE_WIDTH - HANDLE / 2 - 1,
    y: FIRST_OUT_TOP + extra + i * OUT_ROW,
    width: HANDLE,
    height: HANDLE,
  }));
  if (node.kind !== 'start') {
    handles.push({
      id: null,
      type: 'target',
      position: 'left' as NodeHandle['position'],
      x: -HANDLE / 2,
      y: height / 2 - HANDLE / 2,
      width: HANDLE,
      height: HANDLE,
    });
  }
  return { width: NODE_WIDTH, height, handles };
}
