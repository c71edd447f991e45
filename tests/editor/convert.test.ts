import { TEMPLATES } from '../../playbooks/templates';
import { fromFlow, handlesOf, toFlow } from '../../editor/src/canvas/convert';
import type { PlaybookGraph } from '../../editor/src/types';

describe('graph ↔ React Flow', () => {
  it.each(TEMPLATES.map((t) => [t.key, t.graph] as const))('round trip of the %s template is lossless', (_key, graph) => {
    const flow = toFlow(graph as PlaybookGraph);
    expect(fromFlow(flow.nodes, flow.edges)).toEqual(graph);
    // Every edge leaves from a handle the node draws: branches come from the config, not from typing.
    for (const node of flow.nodes) expect(node.data.strayHandles).toEqual([]);
  });

  it('moved nodes come back with their new position and nothing else changed', () => {
    const graph = TEMPLATES[0].graph as PlaybookGraph;
    const flow = toFlow(graph);
    const moved = flow.nodes.map((n, i) => (i === 0 ? { ...n, position: { x: 5, y: 7 } } : n));
    const back = fromFlow(moved, flow.edges);
    expect(back.nodes[0]).toEqual({ ...graph.nodes[0], position: { x: 5, y: 7 } });
    expect(back.nodes.slice(1)).toEqual(graph.nodes.slice(1));
  });

  it('handles follow the current config, with the decision default and the wait timeout', () => {
    const decision = {
      id: 'd',
      kind: 'decision',
      position: { x: 0, y: 0 },
      config: { rules: [{ handle: 'A', when: { var: 'churn_reason', op: 'eq', value: 'A' } }] },
    };
    expect(handlesOf(decision, [])).toEqual(['A', 'default']);
    const wait = { id: 'w', kind: 'wait_response', position: { x: 0, y: 0 }, config: { kinds: ['accepted'], timeout: 'P3D' } };
    expect(handlesOf(wait, [])).toEqual(['accepted', 'no_response']);
    const commitment = {
      id: 'c',
      kind: 'commitment',
      position: { x: 0, y: 0 },
      config: { termMonths: 12, discountPercent: 5, obligations: {}, breachTerms: 'x' },
    };
    expect(handlesOf(commitment, [])).toEqual(['fulfilled', 'breached', 'declined', 'no_response', 'not_approved']);
  });

  it('a half-typed config still draws its branches; an unknown kind falls back to its edges', () => {
    const task = {
      id: 't',
      kind: 'task',
      position: { x: 0, y: 0 },
      config: {
        title: '',
        outcomes: [
          { key: 'reached', label: '' },
          { key: '', label: '' },
        ],
      },
    };
    expect(handlesOf(task, [])).toEqual(['reached']);
    const unknown = { id: 'u', kind: 'future_kind', position: { x: 0, y: 0 }, config: {} };
    expect(handlesOf(unknown, [{ id: 'e', source: 'u', sourceHandle: 'later', target: 't' }])).toEqual(['later']);
  });

  it("handles that read nothing of the config need no parse; those that read it get the schema's defaults", () => {
    // A delay's handles are fixed: even a config its schema refuses draws them.
    const delay = { id: 'd', kind: 'delay', position: { x: 0, y: 0 }, config: { duration: 'soon' } };
    expect(handlesOf(delay, [])).toEqual(['next']);
    const end = { id: 'e', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'closed' } };
    expect(handlesOf(end, [])).toEqual([]);
    // A commitment reads `approval`, which defaults to true: the parsed config has the not-approved branch.
    const commitment = {
      id: 'c',
      kind: 'commitment',
      position: { x: 0, y: 0 },
      config: { termMonths: 12, discountPercent: 5, obligations: {}, breachTerms: 'Thirty days notice.' },
    };
    expect(handlesOf(commitment, [])).toEqual(['fulfilled', 'breached', 'declined', 'no_response', 'not_approved']);
    expect(handlesOf({ ...commitment, id: 'c2', config: { ...commitment.config, approval: false } }, [])).not.toContain('not_approved');
  });
});
