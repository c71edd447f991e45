import { startRun } from '../../../playbooks/runtime';
import { graphOf, planOf, taskConfig } from './helpers';

describe('end node kind', () => {
  it('closes the run with its outcome and reason', () => {
    const plan = planOf(
      graphOf(
        [
          ['s', 'start', {}],
          ['e', 'end', { outcome: 'resolved', reason: 'nothing to do' }],
        ],
        ['s.next → e'],
      ),
    );
    const started = startRun(plan, {}, 5);
    expect(started.state.status).toBe('completed');
    expect(started.state.outcome).toEqual({ outcome: 'resolved', reason: 'nothing to do', at: 5 });
    expect(started.commands.at(-1)).toEqual({ type: 'complete_run', outcome: 'resolved', reason: 'nothing to do' });
  });

  it('ends every other open branch with the run, and has no way out', () => {
    // parallel: branch a ends at once, branch b would wait for a task that is then never opened.
    const plan = planOf(
      graphOf(
        [
          ['s', 'start', {}],
          [
            'p',
            'parallel',
            {
              branches: [
                { key: 'a', label: 'A' },
                { key: 'b', label: 'B' },
              ],
            },
          ],
          ['e', 'end', { outcome: 'closed' }],
          ['call', 'task', taskConfig(['done'])],
          ['later', 'end', { outcome: 'retained' }],
        ],
        ['s.next → p', 'p.a → e', 'p.b → call', 'call.done → later'],
      ),
    );
    const started = startRun(plan, {}, 0);
    expect(started.state.outcome).toMatchObject({ outcome: 'closed', reason: null });
    expect(started.state.tasks).toEqual({});
    expect(started.commands.filter((c) => c.type === 'create_task')).toEqual([]);
    expect(plan.nodes.e.next).toEqual({});
  });
});
