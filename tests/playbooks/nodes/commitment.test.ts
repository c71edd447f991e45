import { compilePlaybook } from '../../../playbooks/compile';
import type { PlaybookGraph } from '../../../playbooks/graph';
import { applyEvent, startRun, type RunState } from '../../../playbooks/runtime';

const at = { x: 0, y: 0 };
const DAY = 86_400_000;
/** A 2-month term (contract months are 30 days) with a check-in every 30 days: the period divides the term. */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'agreement',
      kind: 'commitment',
      position: at,
      config: {
        termMonths: 2,
        discountPercent: 5,
        obligations: { firm: ['priority service'], customer: ['12 services'] },
        breachTerms: 'discount repaid',
        approval: false,
        checkInEvery: 'P30D',
      },
    },
    { id: 'kept', kind: 'end', position: at, config: { outcome: 'retained' } },
    { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'agreement' },
    { id: 'e2', source: 'agreement', sourceHandle: 'fulfilled', target: 'kept' },
    { id: 'e3', source: 'agreement', sourceHandle: 'breached', target: 'lost' },
    { id: 'e4', source: 'agreement', sourceHandle: 'declined', target: 'lost' },
    { id: 'e5', source: 'agreement', sourceHandle: 'no_response', target: 'lost' },
  ],
};

/**
 * Fires timers in time order until the run ends or none is left. Timers due at the same moment fire
 * check-ins first: Temporal does not promise an order for them, so the test takes the worse one.
 */
function runOut(plan: Parameters<typeof applyEvent>[0], state: RunState) {
  const checkIns: number[] = [];
  for (let guard = 0; state.status === 'running' && guard < 20; guard++) {
    const [timerKey, timer] =
      Object.entries(state.timers).sort(
        (a, b) => a[1].firesAt - b[1].firesAt || Number(b[1].purpose === 'check_in') - Number(a[1].purpose === 'check_in'),
      )[0] ?? [];
    if (!timerKey) break;
    const next = applyEvent(plan, state, { type: 'timer_fired', at: timer.firesAt, timerKey });
    for (const c of next.commands) if (c.type === 'create_task') checkIns.push(timer.firesAt);
    state = next.state;
  }
  return { state, checkIns };
}

describe('commitment term and check-ins', () => {
  const signed = (plan: Parameters<typeof applyEvent>[0]) => {
    const started = startRun(plan, { customer: { id: 'C1', department: 'after_sales' } }, 0);
    return applyEvent(plan, started.state, { type: 'customer_responded', at: 0, kind: 'signed', channel: 'email', note: null, actor: null }).state;
  };

  it('schedules no check-in at the moment the term ends: one check-in, then fulfilled', () => {
    const plan = compilePlaybook(graph).plan!;
    const { state, checkIns } = runOut(plan, signed(plan));
    expect(checkIns).toEqual([30 * DAY]);
    expect(state.outcome).toMatchObject({ outcome: 'retained', at: 60 * DAY });
    // Nothing left behind: no open check-in task, no timer.
    expect(state.tasks).toEqual({});
    expect(state.timers).toEqual({});
  });

  it('a plan compiled before revision 2 keeps its old schedule, so its runs replay as recorded', () => {
    const { revision: _revision, ...old } = compilePlaybook(graph).plan!;
    const state = signed(old);
    const afterFirst = applyEvent(old, state, {
      type: 'timer_fired',
      at: 30 * DAY,
      timerKey: Object.entries(state.timers).find(([, t]) => t.purpose === 'check_in')![0],
    }).state;
    // The old rule: a second check-in timer at day 60, the same moment as the term end.
    expect(
      Object.values(afterFirst.timers)
        .map((t) => [t.purpose, t.firesAt])
        .sort(),
    ).toEqual([
      ['check_in', 60 * DAY],
      ['term_end', 60 * DAY],
    ]);
  });
});
