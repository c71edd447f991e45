import { diffGraphs, mergedGraph, settingChanges } from '../../editor/src/designer/diff';
import type { PlaybookGraph } from '../../editor/src/types';

const before: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: { trigger: 'manual' } },
    {
      id: 'call',
      kind: 'task',
      name: 'Call',
      position: { x: 200, y: 0 },
      config: { title: 'Call', outcomes: [{ key: 'reached', label: 'Reached' }], form: [] },
    },
    { id: 'gone', kind: 'delay', position: { x: 400, y: 0 }, config: { duration: 'P3D' } },
    { id: 'end', kind: 'end', position: { x: 600, y: 0 }, config: { outcome: 'closed' } },
  ],
  edges: [
    { id: 'start.next', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'call.reached', source: 'call', sourceHandle: 'reached', target: 'gone' },
    { id: 'gone.next', source: 'gone', sourceHandle: 'next', target: 'end' },
  ],
};

const after: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: { x: 50, y: 50 }, config: { trigger: 'manual' } },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: { x: 200, y: 0 },
      config: {
        title: 'Call back',
        outcomes: [
          { key: 'reached', label: 'Reached' },
          { key: 'no', label: 'No answer' },
        ],
        form: [],
      },
    },
    { id: 'end', kind: 'end', position: { x: 600, y: 0 }, config: { outcome: 'closed' } },
    { id: 'lost', kind: 'end', position: { x: 600, y: 200 }, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'start.next', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'call.reached', source: 'call', sourceHandle: 'reached', target: 'end' },
    { id: 'call.no', source: 'call', sourceHandle: 'no', target: 'lost' },
  ],
};

describe('diffGraphs', () => {
  const diff = diffGraphs(before, after);
  const node = (id: string) => diff.nodes.find((n) => n.id === id);
  const edge = (key: string) => diff.edges.find((e) => e.key === key);

  it('classifies nodes; a move alone is not a change', () => {
    expect(node('start')?.status).toBe('same');
    expect(node('call')?.status).toBe('changed');
    expect(node('gone')?.status).toBe('removed');
    expect(node('lost')?.status).toBe('added');
    expect(node('end')?.status).toBe('same');
  });

  it('lists the changed settings by path', () => {
    expect(node('call')?.changes).toEqual([
      { path: 'name', before: 'Call', after: 'Call back' },
      { path: 'title', before: 'Call', after: 'Call back' },
      { path: 'outcomes[1]', before: undefined, after: { key: 'no', label: 'No answer' } },
    ]);
  });

  it('classifies connections by source handle: added, removed, retargeted', () => {
    expect(edge('start.next')?.status).toBe('same');
    expect(edge('call.reached')).toMatchObject({ status: 'changed', beforeTarget: 'gone' });
    expect(edge('call.no')?.status).toBe('added');
    expect(edge('gone.next')?.status).toBe('removed');
    expect(diff.counts).toEqual({ added: 2, removed: 2, changed: 2 });
  });

  it('the merged graph keeps removed nodes and connections to draw them ghosted', () => {
    const merged = mergedGraph(diff);
    expect(merged.nodes.map((n) => n.id).sort()).toEqual(['call', 'end', 'gone', 'lost', 'start']);
    expect(merged.edges.map((e) => e.id)).toContain('removed:gone.next');
  });

  it('lists of plain values change as one setting', () => {
    expect(settingChanges({ kinds: ['accepted', 'declined'] }, { kinds: ['accepted'] })).toEqual([
      { path: 'kinds', before: ['accepted', 'declined'], after: ['accepted'] },
    ]);
    expect(diffGraphs(before, before).counts).toEqual({ added: 0, removed: 0, changed: 0 });
  });
});
