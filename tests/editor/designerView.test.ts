import { TEMPLATES } from '../../playbooks/templates';
import { freeSpot } from '../../editor/src/designer/graphOps';
import { defaultPrefs, parsePrefs } from '../../editor/src/designer/prefs';
import { labelPx, READABLE_PX, readableViewport } from '../../editor/src/designer/viewport';
import type { PlaybookGraph } from '../../editor/src/types';

const node = (id: string, kind: string, x: number, y: number) => ({ id, kind, position: { x, y }, config: {} });

describe('the designer opens readable', () => {
  it.each(TEMPLATES.map((t) => [t.key, t.graph] as const))('%s opens with names of 11 px or more on a 1,440 px screen and on a 1,024 px one', (_key, graph) => {
    for (const [w, h] of [
      [820, 720],
      [600, 610],
    ]) {
      const view = readableViewport(graph as PlaybookGraph, w, h)!;
      expect(labelPx(view.zoom)).toBeGreaterThanOrEqual(READABLE_PX);
      expect(view.zoom).toBeLessThanOrEqual(1);
    }
  });

  it('fits a small playbook whole, and anchors a big one at zoom 1 with its start on screen', () => {
    const small: PlaybookGraph = { nodes: [node('start', 'start', 0, 0), node('end', 'end', 300, 0)], edges: [] };
    const fit = readableViewport(small, 800, 600)!;
    // Both nodes inside the pane.
    expect(fit.x).toBeGreaterThan(0);
    expect(fit.x + 500 * fit.zoom).toBeLessThan(800);
    const big: PlaybookGraph = {
      nodes: [node('start', 'start', 1000, 400), ...Array.from({ length: 40 }, (_, i) => node(`n${i}`, 'delay', 1000 + (i + 1) * 300, 400))],
      edges: [],
    };
    const anchored = readableViewport(big, 800, 600)!;
    expect(anchored.zoom).toBe(1);
    const startOnScreen = { x: 1000 * anchored.zoom + anchored.x, y: 400 * anchored.zoom + anchored.y };
    expect(startOnScreen.x).toBeGreaterThanOrEqual(0);
    expect(startOnScreen.x).toBeLessThan(200);
    expect(startOnScreen.y).toBeGreaterThan(0);
    expect(startOnScreen.y).toBeLessThan(600);
    expect(readableViewport({ nodes: [], edges: [] }, 800, 600)).toBeNull();
  });
});

describe('designer prefs', () => {
  it('start with the palette as icons on a narrow window and fall back field by field', () => {
    expect(defaultPrefs(1024).palette.open).toBe(false);
    expect(defaultPrefs(1440).palette.open).toBe(true);
    const p = parsePrefs(JSON.stringify({ palette: { open: false, width: 5000 }, minimap: 'yes', direction: 'DOWN' }), 1440);
    expect(p).toEqual({ ...defaultPrefs(1440), palette: { open: false, width: 360 }, direction: 'DOWN' });
    expect(parsePrefs('{not json', 1440)).toEqual(defaultPrefs(1440));
  });
});

describe('placing a step beside another', () => {
  it('moves along until it covers no other step', () => {
    const g: PlaybookGraph = { nodes: [node('a', 'delay', 0, 0), node('b', 'delay', 310, 0), node('c', 'delay', 310, 140)], edges: [] };
    const spot = freeSpot(g, new Map(), { x: 310, y: 0 }, false);
    expect(spot.x).toBe(310);
    expect(spot.y).toBeGreaterThanOrEqual(140 + 110);
    expect(freeSpot(g, new Map(), { x: 700, y: 0 }, false)).toEqual({ x: 700, y: 0 });
  });
});
