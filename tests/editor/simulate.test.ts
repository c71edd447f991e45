import { TEMPLATES } from '../../playbooks/templates';
import {
  autoPlay,
  DEFAULT_CUSTOMER,
  startVariables,
  expectedResponses,
  isFinished,
  openTasks,
  simulate,
  startSimulation,
  upcomingTimer,
  type Simulation,
} from '../../editor/src/designer/simulate/engine';
import type { PlaybookGraph } from '../../editor/src/types';

const winBack = TEMPLATES.find((t) => t.key === 'tiered-win-back')!.graph as PlaybookGraph;

function started(graph: PlaybookGraph, vars: Record<string, string> = {}): Simulation {
  const start = startSimulation(graph, { vars });
  if (!start.ok) throw new Error(JSON.stringify(start.problems));
  return start.sim;
}

const lines = (sim: Simulation) => sim.timeline.map((e) => `day ${e.day}: ${e.text}`);

describe('simulate engine', () => {
  it('auto mode plays the tiered win-back to an end (first outcome, silence)', () => {
    const sim = autoPlay(started(winBack));
    expect(isFinished(sim)).toBe(true);
    // No reason recorded on the call → the reason decision falls through to its default.
    expect(sim.state.outcome?.outcome).toBe('closed');
    expect(sim.state.visits.end_no_reason).toBe(1);
    expect(sim.taken['reason.default']).toBe(1);
    expect(lines(sim)).toContain('day 0: Why are they leaving?: default → No reason recorded');
  });

  it('a scripted price-sensitive customer climbs the ladder, day by day, to the head and back', () => {
    let sim = started(winBack);
    const call = openTasks(sim)[0];
    expect(call.nodeId).toBe('call_back');
    sim = simulate(sim, { type: 'complete', taskKey: call.taskKey, outcome: 'reason_recorded', form: { churn_reason: 'C' } });
    expect(expectedResponses(sim).sort()).toEqual(['accepted', 'declined']);
    expect(upcomingTimer(sim)?.day).toBe(14);

    // Silence: tier 1 expires on day 14, tier 2 on day 28; tier 3 (15%) needs the head's approval.
    sim = simulate(sim, { type: 'advance' });
    sim = simulate(sim, { type: 'advance' });
    const approval = openTasks(sim).find((t) => t.title.startsWith('Approve offer'));
    expect(approval).toBeDefined();
    sim = simulate(sim, { type: 'complete', taskKey: approval!.taskKey, outcome: 'approved' });
    sim = simulate(sim, { type: 'respond', kind: 'declined' });

    const head = openTasks(sim)[0];
    expect(head.nodeId).toBe('escalate_exhausted');
    sim = simulate(sim, { type: 'complete', taskKey: head.taskKey, outcome: 'won_back' });

    expect(isFinished(sim)).toBe(true);
    expect(sim.state.outcome?.outcome).toBe('won_back');
    expect(sim.state.visits.offer_price).toBe(1);
    expect(lines(sim)).toEqual(
      expect.arrayContaining([
        'day 0: Why are they leaving?: C → Labour discount ladder',
        'day 14: Offer tier 1 (5% off labour): expired',
        'day 28: Offer tier 3 (15% off labour): pending approval',
        'day 28: Customer answers: declined',
        'day 28: Labour discount ladder: exhausted → Ladder exhausted: head',
        'day 28: Run ended: won back (customer came back)',
      ]),
    );
  });

  it('every template ends under the auto script, and a graph with problems does not start', () => {
    // Each required start variable gets the first value of its list (the triage's churn type).
    for (const t of TEMPLATES) {
      const vars = Object.fromEntries(startVariables(t.graph as PlaybookGraph).flatMap((v) => (v.required && v.values ? [[v.key, v.values[0]]] : [])));
      expect([t.key, isFinished(autoPlay(started(t.graph as PlaybookGraph, vars)))]).toEqual([t.key, true]);
    }
    const broken = startSimulation({ nodes: [{ id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} }], edges: [] });
    expect(broken.ok).toBe(false);
  });

  it('advancing with nothing waiting for time explains itself instead of moving', () => {
    let sim = started(winBack);
    const head = simulate(sim, { type: 'respond', kind: 'complaint' });
    expect(head.state.vars.last_response).toBe('complaint');
    sim = autoPlay(sim);
    expect(simulate(sim, { type: 'advance' })).toBe(sim);
  });
});

describe('simulating the natural-churn triage', () => {
  const triage = TEMPLATES.find((t) => t.key === 'natural-churn-triage')!.graph as PlaybookGraph;
  const startedWith = (churnType: string, customerId = 'SIM-1'): Simulation => {
    const start = startSimulation(triage, { vars: { churn_type: churnType }, customer: { ...DEFAULT_CUSTOMER, id: customerId, accountManager: 'u-rita' } });
    if (!start.ok) throw new Error(JSON.stringify(start.problems));
    return start.sim;
  };
  const complete = (sim: Simulation, nodeId: string, outcome: string, form = {}) => {
    const task = openTasks(sim).find((t) => t.nodeId === nodeId);
    if (!task) throw new Error(`no open task at ${nodeId}: ${JSON.stringify(openTasks(sim).map((t) => t.nodeId))}`);
    return simulate(sim, { type: 'complete', taskKey: task.taskKey, outcome, form });
  };

  it('lists the typed start variable and refuses a start off its list, as the API does', () => {
    expect(startVariables(triage)).toEqual([
      expect.objectContaining({ key: 'churn_type', required: true, values: ['natural', 'malicious', 'competitive', 'fault'] }),
    ]);
    const refused = startSimulation(triage, { vars: { churn_type: 'bogus' } });
    expect(refused.ok === false && refused.problems.map((p) => [p.code, p.path])).toEqual([['variable_value', ['variables', 'churn_type']]]);
  });

  it('malicious: one step records the type, the credit check fills the file, a poor rating puts the customer on hold', () => {
    let sim = startedWith('malicious');
    expect(lines(sim)).toContain('day 0: Customer file updated: status at_risk, tags +triage');
    expect(sim.plan.nodes.record_type && openTasks(sim).map((t) => t.nodeId)).toEqual(['credit']);
    sim = complete(sim, 'credit', 'checked', { credit_rating: 'poor', outstanding_balance: 4200 });
    expect(sim.state.outcome?.outcome).toBe('lost');
    expect(lines(sim)).toEqual(
      expect.arrayContaining([
        'day 0: Credit checked by simulator: rating poor, outstanding balance 4200',
        'day 0: Credit rating?: poor → Put on credit hold',
        'day 0: Message "escalation_notice" by email to u-rita',
      ]),
    );
  });

  it('competitive: the head’s visit wins first and ends the offer ladder', () => {
    let sim = startedWith('competitive');
    expect(expectedResponses(sim).sort()).toEqual(['accepted', 'declined']);
    sim = complete(sim, 'visit', 'won_back');
    expect(sim.state.outcome?.outcome).toBe('won_back');
    expect(lines(sim)).toEqual(
      expect.arrayContaining(['day 0: First branch arrived; the others were cancelled (Offer ladder)', 'day 0: Offer tier 1 (5% off): expired']),
    );
  });

  it('competitive: the customer accepts the offer first; the head’s visit is cancelled, by name', () => {
    let sim = startedWith('competitive');
    sim = simulate(sim, { type: 'respond', kind: 'accepted' });
    expect(sim.state.outcome?.outcome).toBe('won_back');
    expect(lines(sim)).toEqual(
      expect.arrayContaining([
        'day 0: Task cancelled: "Visit the customer in person"',
        'day 0: First branch arrived; the others were cancelled (Head visits in person)',
      ]),
    );
  });

  it('fault: an unresolved complaint climbs the chain, account manager → head → a named director, one SLA per level', () => {
    let sim = startedWith('fault');
    sim = complete(sim, 'complaint', 'not_fixed', { complaint_summary: 'rude on the phone' });
    expect(openTasks(sim).map((t) => [t.nodeId, t.assignee.userId ?? t.assignee.role])).toEqual([['escalate_fault', 'u-rita']]);
    sim = simulate(sim, { type: 'advance' });
    expect(openTasks(sim).map((t) => t.assignee.role)).toEqual(['department_head']);
    sim = simulate(sim, { type: 'advance' });
    expect(openTasks(sim).map((t) => t.assignee.userId)).toEqual(['u-olga']);
    expect(upcomingTimer(sim)).toBeNull();
    sim = complete(sim, 'escalate_fault', 'resolved');
    expect(sim.state.outcome?.outcome).toBe('retained');
    expect(lines(sim)).toEqual(
      expect.arrayContaining([
        'day 2: Task cancelled: "Escalation: Customer still unhappy after the complaint was handled"',
        'day 2: Escalated up the chain to level 2: department head (the level before missed its SLA)',
        'day 5: Escalated up the chain to level 3: u-olga (the level before missed its SLA)',
      ]),
    );
  });

  it('natural: the experiment’s arm decides whether a new line is cost-checked', () => {
    const arms = new Map<string, string[]>();
    for (let i = 0; i < 20; i++) {
      const sim = startedWith('natural', `SIM-${i}`);
      const arm = String(sim.state.vars['natural_split.arm']);
      arms.set(
        arm,
        openTasks(sim).map((t) => t.nodeId),
      );
    }
    expect(Object.fromEntries(arms)).toEqual({ new_line: ['cost_check'], record_only: [] });
  });
});
