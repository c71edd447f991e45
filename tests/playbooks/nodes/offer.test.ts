import { compilePlaybook } from '../../../playbooks/compile';
import { LATEST_TIME, RuntimeError, startRun } from '../../../playbooks/runtime';
import { at } from './helpers';

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
