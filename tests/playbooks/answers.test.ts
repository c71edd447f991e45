import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { answerStatus, applyEvent, openAnswers, startRun, type AnswerTarget, type RunEvent, type RunState } from '../../playbooks/runtime';

/** The pure rule "is this answer for what is open now?", shared by the workflow, the simulator and the tests. */
const at = { x: 0, y: 0 };
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'split',
      kind: 'parallel',
      position: at,
      config: {
        branches: [
          { key: 'a', label: 'Offer' },
          { key: 'b', label: 'Survey' },
        ],
      },
    },
    {
      id: 'ladder',
      kind: 'offer',
      position: at,
      config: {
        tiers: [
          { label: 'Small', incentive: { type: 'percent', value: 5, description: '5% off' }, validity: 'P7D' },
          { label: 'Large', incentive: { type: 'percent', value: 15, description: '15% off and a free check' }, validity: 'P7D' },
        ],
      },
    },
    // A branch that also waits for "accepted": a link's answer is not for it.
    { id: 'survey', kind: 'wait_response', position: at, config: { kinds: ['accepted'], timeout: 'P30D' } },
    { id: 'settle', kind: 'delay', position: at, config: { duration: 'P1D' } },
    { id: 'won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
    { id: 'survey_done', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'split' },
    { id: 'e2', source: 'split', sourceHandle: 'a', target: 'ladder' },
    { id: 'e3', source: 'split', sourceHandle: 'b', target: 'survey' },
    { id: 'e4', source: 'ladder', sourceHandle: 'accepted', target: 'settle' },
    { id: 'e8', source: 'settle', sourceHandle: 'next', target: 'won' },
    { id: 'e5', source: 'ladder', sourceHandle: 'exhausted', target: 'lost' },
    { id: 'e6', source: 'survey', sourceHandle: 'accepted', target: 'survey_done' },
    { id: 'e7', source: 'survey', sourceHandle: 'no_response', target: 'survey_done' },
  ],
};

const T0 = Date.UTC(2025, 0, 6, 9);
const answer = (kind: string, answers?: AnswerTarget, at = T0 + 1000): RunEvent => ({
  type: 'customer_responded',
  at,
  kind,
  channel: answers ? 'link' : 'phone',
  note: null,
  actor: null,
  ...(answers ? { answers } : {}),
});

describe('answers from links', () => {
  const compiled = compilePlaybook(graph);
  if (!compiled.plan) throw new Error(JSON.stringify(compiled.problems));
  const plan = compiled.plan;
  const tierLink = (state: RunState): AnswerTarget => {
    const [open] = openAnswers(state);
    return { purpose: 'offer', ref: open.ref, nodeId: open.nodeId };
  };

  it('the open tier is what its link answers, with the words the customer saw', () => {
    const { state } = startRun(plan, {}, T0);
    expect(openAnswers(state)).toEqual([expect.objectContaining({ purpose: 'offer', nodeId: 'ladder', tier: 1, text: '5% off' })]);
    expect(answerStatus(state, tierLink(state))).toEqual({ open: true, answer: expect.objectContaining({ tier: 1 }) });
  });

  it('a tier-1 link answered after a phone decline changes nothing and names the tier that replaced it', () => {
    const { state: first } = startRun(plan, {}, T0);
    const tier1 = tierLink(first);
    const declined = applyEvent(plan, first, answer('declined'));
    expect(openAnswers(declined.state)).toEqual([expect.objectContaining({ tier: 2, text: '15% off and a free check' })]);

    const stale = applyEvent(plan, declined.state, answer('accepted', tier1, T0 + 2000));
    expect(stale.state).toBe(declined.state);
    expect(stale.commands).toEqual([]);
    expect(answerStatus(declined.state, tier1)).toEqual({
      open: false,
      reason: 'replaced',
      current: expect.objectContaining({ tier: 2, text: '15% off and a free check' }),
    });

    const accepted = applyEvent(plan, declined.state, answer('accepted', tierLink(declined.state), T0 + 3000));
    expect(accepted.commands).toContainEqual(expect.objectContaining({ type: 'record_offer', tier: 2, status: 'accepted' }));
    expect(
      Object.values(accepted.state.steps)
        .map((s) => s.nodeId)
        .sort(),
    ).toEqual(['settle', 'survey']);
  });

  it("a link's answer goes to the step that sent it only; a phone answer still reaches every waiting step", () => {
    const { state } = startRun(plan, {}, T0);
    const movedOn = (commands: { type: string }[]) =>
      commands
        .filter((c): c is { type: 'step_left'; nodeId: string; handle: string } => c.type === 'step_left' && (c as { handle?: string }).handle === 'accepted')
        .map((c) => c.nodeId)
        .sort();
    const byLink = applyEvent(plan, state, answer('accepted', tierLink(state)));
    // The ladder took it; the survey branch, also waiting for an "accepted", never saw it.
    expect(movedOn(byLink.commands)).toEqual(['ladder']);
    expect(
      Object.values(byLink.state.steps)
        .map((s) => s.nodeId)
        .sort(),
    ).toEqual(['settle', 'survey']);
    const byPhone = applyEvent(plan, state, answer('accepted'));
    expect(movedOn(byPhone.commands)).toEqual(['ladder', 'survey']);
  });

  it('nothing is open once the offer is decided or the run has ended', () => {
    const { state } = startRun(plan, {}, T0);
    const tier1 = tierLink(state);
    const accepted = applyEvent(plan, state, answer('accepted', tier1));
    expect(openAnswers(accepted.state)).toEqual([]);
    expect(answerStatus(accepted.state, tier1)).toEqual({ open: false, reason: 'closed' });
    const won = applyEvent(plan, accepted.state, answer('accepted'));
    expect(won.state.status).toBe('completed');
    expect(openAnswers(won.state)).toEqual([]);
    expect(answerStatus(won.state, tier1)).toEqual({ open: false, reason: 'closed' });
    expect(applyEvent(plan, won.state, answer('declined', tier1)).commands).toEqual([]);
  });

  it('a link for a ref the run never issued, or for another node, is closed', () => {
    const { state } = startRun(plan, {}, T0);
    expect(answerStatus(state, { purpose: 'commitment', ref: tierLink(state).ref })).toEqual({ open: false, reason: 'closed' });
    expect(answerStatus(state, { purpose: 'offer', ref: tierLink(state).ref, nodeId: 'survey' })).toEqual({ open: false, reason: 'closed' });
    const unknown = applyEvent(plan, state, answer('accepted', { purpose: 'offer', ref: 'offer-999', nodeId: 'ladder' }));
    expect(unknown.state).toBe(state);
  });
});
