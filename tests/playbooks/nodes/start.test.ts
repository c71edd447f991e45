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

describe('typed start variables', () => {
  const config = StartConfig.parse({
    variables: [
      { key: 'churn_type', type: 'string', required: true, values: ['natural', 'malicious', 'competitive', 'fault'] },
      { key: 'budget', type: 'number', min: 0, max: 500 },
    ],
  });

  it('refuses a value not on the list and a number out of range, each with its path', () => {
    expect(startVariableProblems(config, { churn_type: 'malicious', budget: 500 })).toEqual([]);
    expect(startVariableProblems(config, { churn_type: 'bogus', budget: 501 })).toEqual([
      {
        code: 'variable_value',
        message: 'variable "churn_type" must be one of natural, malicious, competitive, fault; "bogus" is not',
        path: ['variables', 'churn_type'],
      },
      { code: 'variable_range', message: 'variable "budget" must be between 0 and 500; 501 is not', path: ['variables', 'budget'] },
    ]);
    expect(startVariableProblems(config, { churn_type: 'fault', budget: -1 }).map((p) => p.code)).toEqual(['variable_range']);
  });

  it('keeps the list in the compiled plan (the API checks starts against it) instead of dropping it', () => {
    const plan = planOf(
      graphOf(
        [
          ['s', 'start', { variables: [{ key: 'churn_type', type: 'string', required: true, values: ['natural', 'fault'] }] }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → e'],
      ),
    );
    expect(startVariableProblems(plan.nodes.s.config, { churn_type: 'bogus' }).map((p) => p.code)).toEqual(['variable_value']);
  });

  it('refuses a list on a number, a range on text, an empty range and a value listed twice', () => {
    const compiled = compilePlaybook(
      graphOf(
        [
          [
            's',
            'start',
            {
              variables: [
                { key: 'a', type: 'number', values: ['1'] },
                { key: 'b', type: 'string', min: 1 },
                { key: 'c', type: 'number', min: 5, max: 1 },
                { key: 'd', type: 'string', values: ['x', 'x'] },
              ],
            },
          ],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → e'],
      ),
    );
    expect(compiled.problems.map((p) => [p.code, p.path.join('.')])).toEqual([
      ['values_need_text', 'nodes.0.config.variables.0.values'],
      ['range_needs_number', 'nodes.0.config.variables.1.min'],
      ['empty_range', 'nodes.0.config.variables.2.min'],
      ['duplicate_value', 'nodes.0.config.variables.3.values'],
    ]);
  });

  it('a decision comparing a typed variable with a value off its list never matches, and the compiler says so', () => {
    const compiled = compilePlaybook(
      graphOf(
        [
          ['s', 'start', { variables: [{ key: 'churn_kind', type: 'string', required: true, values: ['natural', 'fault'] }] }],
          ['d', 'decision', { rules: [{ handle: 'odd', when: { var: 'churn_kind', op: 'in', value: ['fault', 'bogus'] } }] }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → d', 'd.odd → e', 'd.default → e'],
      ),
    );
    expect(compiled.problems.map((p) => [p.code, p.path.join('.'), p.message])).toEqual([
      ['operand_value', 'nodes.1.config.rules.0.when.value', 'churn_kind is one of natural, fault; "bogus" never matches'],
    ]);
  });
});
