import { TEMPLATES } from '../../playbooks/templates';
import {
  autoPlay,
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

function started(graph: PlaybookGraph): Simulation {
  const start = startSimulation(graph);
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
    for (const t of TEMPLATES) expect([t.key, isFinished(autoPlay(started(t.graph as PlaybookGraph)))]).toEqual([t.key, true]);
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
