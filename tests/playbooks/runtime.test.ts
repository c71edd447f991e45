import { compilePlaybook } from '../../playbooks/compile';
import { applyEvent, startRun } from '../../playbooks/runtime';
import { callBackGraph } from '../../playbooks/templates/callBack';

const plan = compilePlaybook(callBackGraph).plan!;
const rep = { userId: 'u-rita', role: 'rep', department: 'after_sales' };

describe('pure runtime', () => {
  it('ignores an event for a task that is not open', () => {
    const started = startRun(plan, {}, 0);
    const same = applyEvent(plan, started.state, { type: 'task_completed', at: 1, taskKey: 'task-999', outcome: 'reached', form: {}, actor: rep });
    expect(same.commands).toEqual([]);
    expect(same.state).toBe(started.state);
  });
});
