import { compilePlaybook } from '../../../playbooks/compile';
import { listensFor, StartConfig, startVariableProblems } from '../../../playbooks/nodes/start';
import { startRun } from '../../../playbooks/runtime';
import { graphOf, planOf } from './helpers';

describe('start node kind', () => {
  it('begins the run and goes straight on through "next"', () => {
    const plan = planOf(
      graphOf(
        [
          ['s', 'start', {}],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → e'],
      ),
    );
    const started = startRun(plan, {}, 5);
    expect(started.state.status).toBe('completed');
    expect(started.commands.filter((c) => c.type === 'step_left')).toEqual([expect.objectContaining({ nodeId: 's', handle: 'next' }), expect.anything()]);
  });

  it('names the run variables that are missing or of the wrong type', () => {
    const config = StartConfig.parse({
      variables: [
        { key: 'segment', type: 'string', required: true },
        { key: 'score', type: 'number' },
      ],
    });
    expect(startVariableProblems(config, { segment: 'gold', score: 3 })).toEqual([]);
    expect(startVariableProblems(config, {})).toEqual([
      { code: 'variable_missing', message: 'variable "segment" is required', path: ['variables', 'segment'] },
    ]);
    expect(startVariableProblems(config, { segment: 'gold', score: 'high' }).map((p) => p.code)).toEqual(['variable_type']);
  });

  it('with an event trigger, starts runs for its trigger key only, and refuses an event trigger without one', () => {
    expect(listensFor({ trigger: 'event', triggerKey: 'customer.pre_churn' }, 'customer.pre_churn')).toBe(true);
    expect(listensFor({ trigger: 'event', triggerKey: 'customer.pre_churn' }, 'customer.churned')).toBe(false);
    expect(listensFor({ trigger: 'manual' }, 'customer.pre_churn')).toBe(false);
    const compiled = compilePlaybook(
      graphOf(
        [
          ['s', 'start', { trigger: 'event' }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → e'],
      ),
    );
    expect(compiled.problems.map((p) => [p.code, p.nodeId])).toEqual([['trigger_key_missing', 's']]);
  });
});
