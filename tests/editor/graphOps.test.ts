import { addNode, connect, copySelection, EMPTY_GRAPH, paste, removeElements } from '../../editor/src/designer/graphOps';
import { checkpoint, commit, createHistory, dropUnchangedCheckpoint, redo, replace, undo } from '../../editor/src/designer/history';

describe('graph operations', () => {
  it('adds nodes with unique ids and a valid starter config', () => {
    const a = addNode(EMPTY_GRAPH, 'task', { x: 10.4, y: 20.6 });
    const b = addNode(a.graph, 'task', { x: 0, y: 0 });
    expect([a.id, b.id]).toEqual(['task', 'task_2']);
    expect(a.graph.nodes[0]).toMatchObject({ kind: 'task', name: 'Human task', position: { x: 10, y: 21 } });
  });

  it('connecting a handle that already has an edge replaces it', () => {
    let g = addNode(EMPTY_GRAPH, 'start', { x: 0, y: 0 }).graph;
    g = addNode(g, 'end', { x: 0, y: 0 }).graph;
    g = addNode(g, 'end', { x: 0, y: 0 }).graph;
    g = connect(g, 'start', 'next', 'end');
    g = connect(g, 'start', 'next', 'end_2');
    expect(g.edges).toEqual([{ id: 'start.next', source: 'start', sourceHandle: 'next', target: 'end_2' }]);
    expect(removeElements(g, new Set(['end_2']), new Set()).edges).toEqual([]);
  });

  it('copy/paste takes the edges between copied nodes, with fresh ids', () => {
    let g = addNode(EMPTY_GRAPH, 'start', { x: 0, y: 0 }).graph;
    g = addNode(g, 'delay', { x: 100, y: 0 }).graph;
    g = addNode(g, 'end', { x: 200, y: 0 }).graph;
    g = connect(connect(g, 'start', 'next', 'delay'), 'delay', 'next', 'end');
    const clip = copySelection(g, new Set(['delay', 'end']))!;
    expect(clip.edges.map((e) => e.id)).toEqual(['delay.next']);
    const pasted = paste(g, clip);
    expect(pasted.nodeIds).toEqual(['delay_2', 'end_2']);
    expect(pasted.graph.edges.at(-1)).toEqual({ id: 'delay_2.next', source: 'delay_2', sourceHandle: 'next', target: 'end_2' });
    expect(pasted.graph.nodes.find((n) => n.id === 'delay_2')?.position).toEqual({ x: 140, y: 40 });
  });
});

describe('history', () => {
  it('undoes and redoes snapshots, coalescing a burst of edits to one thing', () => {
    let h = createHistory('a');
    h = commit(h, 'b', { key: 'title', now: 1000 });
    h = commit(h, 'bc', { key: 'title', now: 1500 });
    h = commit(h, 'bcd', { key: 'other', now: 1600 });
    expect(h.past).toEqual(['a', 'bc']);
    h = undo(h);
    expect(h.present).toBe('bc');
    h = undo(h);
    expect(h.present).toBe('a');
    h = redo(h);
    expect(h.present).toBe('bc');
    expect(commit(h, 'x').future).toEqual([]);
  });

  it('a drag is one step: checkpoint, frames, and no step at all when nothing moved', () => {
    let h = checkpoint(createHistory('a'));
    h = replace(replace(h, 'a1'), 'a2');
    expect(undo(h).present).toBe('a');
    expect(dropUnchangedCheckpoint(checkpoint(createHistory('a'))).past).toEqual([]);
  });
});
