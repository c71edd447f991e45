import { compilePlaybook } from '../../../playbooks/compile';
import { nodeKind } from '../../../playbooks/nodes';
import { readVar } from '../../../playbooks/nodes/decision';
import { applyEvent, startRun, type Command } from '../../../playbooks/runtime';
import { customer, graphOf, planOf, rep } from './helpers';

const DAY = 86_400_000;
/** start → credit check → a decision on credit.rating (poor → hold, otherwise → fine). */
const graph = graphOf(
  [
    ['s', 'start', {}],
    ['check', 'credit_check', { sla: 'P2D' }],
    ['rating', 'decision', { rules: [{ handle: 'poor', when: { var: 'credit.rating', op: 'eq', value: 'poor' } }] }],
    ['hold', 'end', { outcome: 'lost' }],
    ['fine', 'end', { outcome: 'closed' }],
  ],
  ['s.next → check', 'check.checked → rating', 'rating.poor → hold', 'rating.default → fine'],
);
const plan = planOf(graph);

const checked = (form: Record<string, string | number | null>) => {
  const started = startRun(plan, customer, 0);
  const [taskKey] = Object.keys(started.state.tasks);
  return { started, done: applyEvent(plan, started.state, { type: 'task_completed', at: DAY, taskKey, outcome: 'checked', form, actor: rep }) };
};

describe('credit_check node kind', () => {
  it("opens a credit check for the customer's department with the credit file's form", () => {
    const { started } = checked({ credit_rating: 'good', outstanding_balance: 0 });
    expect(Object.values(started.state.tasks)).toEqual([
      expect.objectContaining({
        title: 'Check the customer’s credit',
        assignee: { role: 'rep', department: 'after_sales', userId: null },
        dueAt: 2 * DAY,
        outcomes: [{ key: 'checked', label: 'Checked' }],
        form: [
          expect.objectContaining({
            key: 'credit_rating',
            type: 'choice',
            required: true,
            options: expect.arrayContaining([{ value: 'poor', label: 'Poor' }]),
          }),
          expect.objectContaining({ key: 'outstanding_balance', type: 'money', required: true }),
          expect.objectContaining({ key: 'credit_notes', type: 'textarea', required: false }),
        ],
      }),
    ]);
  });

  it('writes what the form says to the credit file (who checked, when), and the decision reads credit.rating', () => {
    const { done } = checked({ credit_rating: 'poor', outstanding_balance: 4200, credit_notes: 'unpaid since March' });
    expect(done.commands.find((c) => c.type === 'record_credit_check')).toEqual({
      type: 'record_credit_check',
      checkKey: expect.any(String),
      nodeId: 'check',
      rating: 'poor',
      outstandingBalance: 4200,
      notes: 'unpaid since March',
      checkedBy: 'u-rita',
      checkedAt: DAY,
    });
    expect(done.state.vars.credit).toEqual({ rating: 'poor', outstandingBalance: 4200, checkedBy: 'u-rita', checkedAt: DAY });
    expect(done.state.outcome).toMatchObject({ outcome: 'lost' });
    expect(checked({ credit_rating: 'good', outstanding_balance: 0 }).done.state.outcome).toMatchObject({ outcome: 'closed' });
  });

  it('reads in a timeline as the check with its rating and who made it', () => {
    const { done } = checked({ credit_rating: 'fair', outstanding_balance: 90 });
    const record = done.commands.find((c) => c.type === 'record') as Extract<Command, { type: 'record' }>;
    expect(nodeKind('credit_check').describe?.(record)).toEqual({
      kind: 'credit_checked',
      text: 'Credit checked by u-rita: rating fair, outstanding balance 90',
    });
  });

  it('credit.* is the system’s: a run variable named like it never stands in for the credit file (from revision 4)', () => {
    expect(readVar({ 'credit.rating': 'good', credit: { rating: 'poor' } }, 'credit.rating')).toBe('poor');
    expect(readVar({ 'credit.rating': 'good' }, 'credit.rating')).toBeUndefined();
    // Plans of revision 3 keep reading as they were recorded.
    expect(readVar({ 'credit.rating': 'good' }, 'credit.rating', 3)).toBe('good');
    const refused = compilePlaybook(
      graphOf(
        [
          ['s', 'start', { variables: [{ key: 'credit.rating', type: 'string' }] }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → e'],
      ),
    );
    expect(refused.problems.map((p) => p.code)).toContain('invalid_custom');
  });

  it('a decision on a rating that does not exist never matches, and one on credit.rating needs a credit check in the playbook', () => {
    const wrong = compilePlaybook(
      graphOf(
        [
          ['s', 'start', {}],
          ['check', 'credit_check', {}],
          ['rating', 'decision', { rules: [{ handle: 'bad', when: { var: 'credit.rating', op: 'eq', value: 'terrible' } }] }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → check', 'check.checked → rating', 'rating.bad → e', 'rating.default → e'],
      ),
    );
    expect(wrong.problems.map((p) => p.code)).toEqual(['operand_value']);
    const without = compilePlaybook(
      graphOf(
        [
          ['s', 'start', {}],
          ['rating', 'decision', { rules: [{ handle: 'poor', when: { var: 'credit.rating', op: 'eq', value: 'poor' } }] }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → rating', 'rating.poor → e', 'rating.default → e'],
      ),
    );
    expect(without.problems.map((p) => p.code)).toEqual(['unknown_variable']);
  });
});
