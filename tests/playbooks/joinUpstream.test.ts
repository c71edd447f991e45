import fc from 'fast-check';
import { compilePlaybook } from '../../playbooks/compile';
import type { CompiledPlan } from '../../playbooks/plan';
import { PLAN_REVISION } from '../../playbooks/plan';
import { joinUpstream } from '../../playbooks/runtime/joinUpstream';
import { TEMPLATES } from '../../playbooks/templates';
import { validGraphArb } from '../support/validGraphs';
import { benchGraph } from '../../scripts/bench/compile';

/** Temporal refuses a payload over 2 MB (the server's default BlobSizeLimitError), and a run's input carries its plan. */
const TEMPORAL_BLOB_LIMIT = 2 * 1024 * 1024;

/** Walks the graph's own edges backwards: what a join's upstream is, written without the runtime's code. */
function upstreamInGraph(edges: { source: string; target: string }[], join: string): string[] {
  const seen = new Set([join]);
  const stack = [join];
  while (stack.length) {
    const id = stack.pop()!;
    for (const e of edges) {
      if (e.target !== id || seen.has(e.source)) continue;
      seen.add(e.source);
      stack.push(e.source);
    }
  }
  seen.delete(join);
  return [...seen].sort();
}

describe('a join’s upstream', () => {
  it('is derived from the edges of revision-5 plans, which no longer list it, as the very set the graph has', () => {
    let joins = 0;
    fc.assert(
      fc.property(validGraphArb, ({ graph }) => {
        const plan = compilePlaybook(graph).plan!;
        expect(plan.revision).toBe(PLAN_REVISION);
        for (const node of Object.values(plan.nodes)) {
          expect(node.upstream).toBeUndefined();
          if (node.kind !== 'join') continue;
          joins++;
          expect([...joinUpstream(plan, node.id)!].sort()).toEqual(upstreamInGraph(graph.edges, node.id));
        }
      }),
      { numRuns: 300, seed: 20261205 },
    );
    expect(joins).toBeGreaterThan(20);
    for (const template of TEMPLATES) {
      const plan = compilePlaybook(template.graph).plan!;
      for (const node of Object.values(plan.nodes))
        if (node.kind === 'join') expect([...joinUpstream(plan, node.id)!].sort()).toEqual(upstreamInGraph(template.graph.edges, node.id));
    }
  });

  const node = (id: string, kind: string, next: Record<string, string>, inputs: number, upstream?: string[]) => ({
    id,
    kind,
    name: id,
    config: {},
    next,
    inputs,
    ...(upstream ? { upstream } : {}),
  });
  const diamond = (revision: number | undefined, upstream?: string[]): CompiledPlan => ({
    format: 1,
    ...(revision ? { revision } : {}),
    startNodeId: 's',
    hash: 'hand-made',
    worstCaseDurationMs: null,
    nodes: {
      s: node('s', 'parallel', { a: 'a', b: 'b' }, 0),
      a: node('a', 'delay', { next: 'j' }, 1),
      b: node('b', 'delay', { next: 'j' }, 1),
      j: node('j', 'join', { next: 'e' }, 2, upstream),
      e: node('e', 'end', {}, 1),
    },
  });

  it('is what a revision-4 plan lists, even when the edges say more (sleeping runs keep their plan’s meaning)', () => {
    expect([...joinUpstream(diamond(4, ['a']), 'j')!]).toEqual(['a']);
  });

  it('is unknown for an older plan without the list, which keeps the old rule (one arrival per edge)', () => {
    expect(joinUpstream(diamond(4), 'j')).toBeUndefined();
    expect(joinUpstream(diamond(undefined), 'j')).toBeUndefined();
    expect([...joinUpstream(diamond(5), 'j')!].sort()).toEqual(['a', 'b', 's']);
  });

  it('no longer grows with joins × nodes: the largest playbook the editor accepts fits in a run’s input', () => {
    // Listing every join's upstream made a 5,000-node plan 7.2 MB, so it published but could never start.
    const plan = compilePlaybook(benchGraph(5000)).plan!;
    expect(Object.values(plan.nodes).filter((n) => n.kind === 'join').length).toBeGreaterThan(200);
    expect(Buffer.byteLength(JSON.stringify(plan))).toBeLessThan(TEMPORAL_BLOB_LIMIT);
  });
});
