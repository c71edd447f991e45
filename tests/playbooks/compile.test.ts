import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { callBackGraph } from '../../playbooks/templates/callBack';

const clone = (g: PlaybookGraph): PlaybookGraph => JSON.parse(JSON.stringify(g));
const codes = (g: unknown) => compilePlaybook(g).problems.map((p) => `${p.code}@${p.edgeId ?? p.nodeId ?? p.path.join('.')}`).sort();

describe('compiler', () => {
  it('compiles the call-back template with a stable content hash', () => {
    const a = compilePlaybook(callBackGraph);
    expect(a.problems).toEqual([]);
    expect(a.plan!.nodes.call_back.next).toEqual({ reached: 'end_reached', unreachable: 'end_unreachable' });
    // Moving a node on the canvas does not change what runs, so the hash stays.
    const moved = clone(callBackGraph);
    moved.nodes[1].position = { x: 999, y: 1 };
    expect(compilePlaybook(moved).plan!.hash).toBe(a.plan!.hash);
    const renamed = clone(callBackGraph);
    (renamed.nodes[1].config as { title: string }).title = 'Call them';
    expect(compilePlaybook(renamed).plan!.hash).not.toBe(a.plan!.hash);
  });

  it('reports every problem at once, pinned to nodes and edges', () => {
    const g = clone(callBackGraph);
    g.edges = g.edges.filter((e) => e.id !== 'e3'); // "unreachable" outcome leads nowhere
    g.edges.push({ id: 'e4', source: 'call_back', sourceHandle: 'reached', target: 'end_unreachable' }); // a second edge on one handle
    g.edges.push({ id: 'e5', source: 'call_back', sourceHandle: 'maybe', target: 'end_reached' }); // no such handle
    g.nodes.push({ id: 'orphan', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'lost' } });
    g.nodes.push({ id: 'weird', kind: 'teleport', position: { x: 0, y: 0 }, config: {} });
    (g.nodes[1].config as { assignee: unknown }).assignee = { type: 'role', role: 'wizard', department: 'customer' };
    expect(codes(g)).toEqual(
      [
        'handle_multiple_edges@e4',
        'handle_unconnected@call_back',
        'unknown_handle@e5',
        'unknown_node_kind@weird',
        'unknown_role@call_back',
        'unreachable@end_unreachable', // its only edge was the refused second one
        'unreachable@orphan',
        'unreachable@weird',
      ].sort(),
    );
  });

  it('needs exactly one start and refuses a loop that never waits', () => {
    expect(codes({ nodes: [{ id: 'e', kind: 'end', config: { outcome: 'lost' } }], edges: [] })).toContain('no_start@nodes');
    const loop: PlaybookGraph = {
      nodes: [
        { id: 's', kind: 'start', position: { x: 0, y: 0 }, config: {} },
        { id: 'a', kind: 'start', position: { x: 0, y: 0 }, config: {} },
        { id: 'end', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'lost' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'a' },
        { id: 'e2', source: 'a', sourceHandle: 'next', target: 'a' },
      ],
    };
    const found = codes(loop);
    expect(found).toEqual(expect.arrayContaining(['multiple_starts@a', 'cycle_without_wait@a', 'edge_into_start@e1']));
  });

  it('reports invalid configs with their JSON path', () => {
    const g = clone(callBackGraph);
    (g.nodes[1].config as { outcomes: unknown }).outcomes = [];
    (g.nodes[1].config as { sla: string }).sla = 'P0D';
    const problems = compilePlaybook(g).problems;
    expect(problems.map((p) => p.path.join('.'))).toEqual(expect.arrayContaining(['nodes.1.config.outcomes', 'nodes.1.config.sla']));
    expect(problems.every((p) => p.nodeId === 'call_back' || p.code === 'handle_unconnected' || p.code === 'no_path_to_end' || p.code === 'unreachable')).toBe(true);
  });

  it('gives the worst-case duration from the waits on the longest path', () => {
    const g = clone(callBackGraph);
    g.nodes.push({ id: 'wait', kind: 'delay', position: { x: 0, y: 0 }, config: { duration: 'P14D' } });
    g.edges = g.edges.map((e) => (e.id === 'e3' ? { ...e, target: 'wait' } : e));
    g.edges.push({ id: 'e9', source: 'wait', sourceHandle: 'next', target: 'end_unreachable' });
    expect(compilePlaybook(g).worstCaseDurationMs).toBe(14 * 86_400_000);
  });
});
