import { compilePlaybook } from '../../../playbooks/compile';
import { LATEST_TIME, RuntimeError, startRun } from '../../../playbooks/runtime';
import { at, customer, graphOf, planOf } from './helpers';

const refusal = (fn: () => unknown): RuntimeError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof RuntimeError) return err;
    throw err;
  }
  throw new Error('expected the runtime to refuse');
};

describe('the runtime never produces an invalid date', () => {
  it('refuses an offer whose validity would end past any valid date', () => {
    const plan = compilePlaybook({
      nodes: [
        { id: 'start', kind: 'start', position: at, config: {} },
        {
          id: 'ladder',
          kind: 'offer',
          position: at,
          config: { tiers: [{ label: 'One', incentive: { type: 'percent', value: 5, description: '5% off' }, validity: 'P7D' }] },
        },
        { id: 'won', kind: 'end', position: at, config: { outcome: 'won_back' } },
        { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ladder' },
        { id: 'e2', source: 'ladder', sourceHandle: 'accepted', target: 'won' },
        { id: 'e3', source: 'ladder', sourceHandle: 'exhausted', target: 'lost' },
      ],
    }).plan!;
    // The clock itself near the end of the representable range: the validity would end beyond it.
    expect(refusal(() => startRun(plan, {}, LATEST_TIME - 1000)).code).toMatch(/^invalid_(time|duration)$/);
  });
});

describe('an incentive value from a run variable', () => {
  const graph = graphOf(
    [
      ['s', 'start', { variables: [{ key: 'head_discount', type: 'number', required: true, min: 0, max: 30 }] }],
      [
        'o',
        'offer',
        {
          approvalAbove: 10,
          tiers: [
            {
              label: 'head’s discount',
              incentive: { type: 'percent', value: { from: 'var', name: 'head_discount' }, description: 'a discount' },
              validity: 'P14D',
            },
          ],
        },
      ],
      ['won', 'end', { outcome: 'won_back' }],
      ['lost', 'end', { outcome: 'lost' }],
    ],
    ['s.next → o', 'o.accepted → won', 'o.exhausted → lost'],
  );

  it('offers the value the run holds, and asks the head first when it is above the threshold', () => {
    const plan = planOf(graph);
    const small = startRun(plan, { ...customer, head_discount: 8 }, 0);
    expect(small.commands.find((c) => c.type === 'record_offer')).toMatchObject({ status: 'made', incentive: { type: 'percent', value: 8 } });
    const large = startRun(plan, { ...customer, head_discount: 20 }, 0);
    expect(large.commands.find((c) => c.type === 'record_offer')).toMatchObject({ status: 'pending_approval', incentive: { value: 20 } });
  });

  it('the variable must exist and be set on every path', () => {
    const compiled = compilePlaybook({
      ...graph,
      nodes: graph.nodes.map((n) => (n.id === 's' ? { ...n, config: { variables: [{ key: 'head_discount', type: 'number' }] } } : n)),
    });
    expect(compiled.problems.map((p) => [p.code, p.path.join('.')])).toEqual([['variable_may_be_unset', 'nodes.1.config.tiers.0.incentive.value.name']]);
  });
});
