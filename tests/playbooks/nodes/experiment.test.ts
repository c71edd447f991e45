import { compilePlaybook } from '../../../playbooks/compile';
import { findNodeKind, nodeKind } from '../../../playbooks/nodes';
import { ExperimentConfig, HOLDOUT, pickArm, stableHash } from '../../../playbooks/nodes/experiment';
import { startRun } from '../../../playbooks/runtime/machine';
import type { Command, Json } from '../../../playbooks/runtime/types';
import { summarize, kindStyle } from '../../../editor/src/canvas/nodeKinds';
import { fieldsFor } from '../../../editor/src/designer/form/fields';
import { variableOptions } from '../../../editor/src/designer/form/options';
import { starterConfig } from '../../../editor/src/designer/starters';
import { startSimulation } from '../../../editor/src/designer/simulate/engine';
import type { PlaybookGraph } from '../../../editor/src/types';

const config = ExperimentConfig.parse({
  arms: [
    { key: 'control', label: 'Usual call', weight: 45 },
    { key: 'gift', label: 'Call with a gift', weight: 45 },
  ],
  holdout: 10,
});

/** start → split (the experiment) → a decision on split.arm → three ends. */
function graph(): PlaybookGraph {
  return {
    nodes: [
      { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
      { id: 'split', kind: 'experiment', name: 'Gift test', position: { x: 0, y: 100 }, config: config as unknown as Record<string, unknown> },
      {
        id: 'which',
        kind: 'decision',
        position: { x: 0, y: 200 },
        config: { rules: [{ handle: 'gift', when: { var: 'split.arm', op: 'eq', value: 'gift' } }] },
      },
      { id: 'end_gift', kind: 'end', position: { x: 0, y: 300 }, config: { outcome: 'retained' } },
      { id: 'end_other', kind: 'end', position: { x: 100, y: 300 }, config: { outcome: 'closed' } },
      { id: 'end_holdout', kind: 'end', position: { x: 200, y: 300 }, config: { outcome: 'lost' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'split' },
      { id: 'e2', source: 'split', sourceHandle: 'control', target: 'which' },
      { id: 'e3', source: 'split', sourceHandle: 'gift', target: 'which' },
      { id: 'e4', source: 'split', sourceHandle: 'holdout', target: 'end_holdout' },
      { id: 'e5', source: 'which', sourceHandle: 'gift', target: 'end_gift' },
      { id: 'e6', source: 'which', sourceHandle: 'default', target: 'end_other' },
    ],
  } as PlaybookGraph;
}

const customer = (id: string): Record<string, Json> => ({ customer: { id, name: id, department: 'after_sales', grade: 'ordinary', value: 1 } });

describe('experiment node kind', () => {
  it('has one outgoing handle per arm, plus holdout when there is one', () => {
    const kind = nodeKind('experiment');
    expect(kind.handles(config)).toEqual(['control', 'gift', HOLDOUT]);
    expect(kind.handles(ExperimentConfig.parse({ arms: [{ key: 'a' }, { key: 'b' }] }))).toEqual(['a', 'b']);
  });

  it('splits by a stable hash of the customer id: the same customer always lands in the same arm, shares follow the weights', () => {
    expect(stableHash('abc')).toBe(stableHash('abc'));
    expect(stableHash('abc')).not.toBe(stableHash('abd'));
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const arm = pickArm(config, 'split', `C-${i}`);
      expect(pickArm(config, 'split', `C-${i}`)).toBe(arm);
      counts[arm] = (counts[arm] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['control', 'gift', 'holdout']);
    expect(counts.control / 20_000).toBeGreaterThan(0.42);
    expect(counts.gift / 20_000).toBeGreaterThan(0.42);
    expect(counts.holdout / 20_000).toBeGreaterThan(0.08);
    expect(counts.holdout / 20_000).toBeLessThan(0.12);
  });

  it('each experiment node splits on its own (the node id is part of the hash)', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `C-${i}`);
    const a = ids.map((id) => pickArm(config, 'split', id));
    const b = ids.map((id) => pickArm(config, 'other_split', id));
    expect(a).not.toEqual(b);
  });

  it('refuses an arm named twice or named "holdout"', () => {
    const bad = ExperimentConfig.parse({ arms: [{ key: 'a' }, { key: 'a' }, { key: 'holdout' }] });
    const problems = nodeKind('experiment').check!(bad, { directory: { departments: [], roles: [] } as never, nodeId: 'x', path: ['nodes', 1, 'config'] });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['duplicate_arm', ['nodes', 1, 'config', 'arms', 1, 'key']],
      ['duplicate_arm', ['nodes', 1, 'config', 'arms', 2, 'key']],
    ]);
  });

  it('compiles with a decision on <node>.arm, and a run takes the arm, records it and routes by it', () => {
    const compiled = compilePlaybook(graph());
    expect(compiled.problems).toEqual([]);
    const plan = compiled.plan!;
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const id = `CUST-${i}`;
      const arm = pickArm(config, 'split', id);
      seen.add(arm);
      const run = startRun(plan, customer(id), 1_000);
      expect(run.state.vars['split.arm']).toBe(arm);
      const record = run.commands.find((c): c is Extract<Command, { type: 'record' }> => c.type === 'record');
      expect(record).toMatchObject({ nodeId: 'split', kind: 'experiment', name: 'arm', data: { arm } });
      expect(run.state.outcome?.outcome).toBe(arm === 'gift' ? 'retained' : arm === 'holdout' ? 'lost' : 'closed');
    }
    expect([...seen].sort()).toEqual(['control', 'gift', 'holdout']);
  });

  it('is pure: no randomness and no clock, so a run replays into the same arm', () => {
    const plan = compilePlaybook(graph()).plan!;
    const random = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random');
    });
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now');
    });
    try {
      const first = startRun(plan, customer('CUST-7'), 1_000);
      const again = startRun(plan, customer('CUST-7'), 99_000);
      expect(again.state.vars['split.arm']).toBe(first.state.vars['split.arm']);
    } finally {
      random.mockRestore();
      clock.mockRestore();
    }
  });

  it('without the arm variable declared by the kind, a decision on an unknown <node>.arm is refused', () => {
    const g = graph();
    (g.nodes[2].config as { rules: { when: { var: string } }[] }).rules[0].when.var = 'nowhere.arm';
    expect(compilePlaybook(g).problems.map((p) => p.code)).toContain('unknown_variable');
  });

  it('a message reading {{split.arm}} after the split raises no "may be unset" warning', () => {
    const g = graph();
    g.nodes.splice(2, 0, {
      id: 'tell',
      kind: 'notify',
      position: { x: 0, y: 150 },
      config: { channel: 'email', to: { kind: 'customer' }, template: 'free_text', vars: { subject: 'Hi', text: 'arm {{split.arm}}' } },
    } as PlaybookGraph['nodes'][number]);
    g.edges = g.edges.map((e) => (e.target === 'which' && e.source === 'split' ? { ...e, target: 'tell' } : e));
    g.edges = g.edges.filter((e) => !(e.source === 'split' && e.sourceHandle === 'gift'));
    g.edges.push({ id: 'e7', source: 'split', sourceHandle: 'gift', target: 'tell' }, { id: 'e8', source: 'tell', sourceHandle: 'next', target: 'which' });
    const compiled = compilePlaybook(g);
    expect(compiled.problems).toEqual([]);
    expect(compiled.warnings).toEqual([]);
  });

  it('runs in the simulator, and its record reads as a timeline line', () => {
    const start = startSimulation(graph(), {
      customer: { id: 'CUST-3', name: 'Test', department: 'after_sales', grade: 'ordinary', value: 1, accountManager: null },
    });
    if (!start.ok) throw new Error(JSON.stringify(start.problems));
    const arm = pickArm(config, 'split', 'CUST-3');
    expect(start.sim.state.vars['split.arm']).toBe(arm);
    expect(start.sim.timeline.map((e) => e.text)).toContain(
      `Experiment arm: ${arm === 'holdout' ? 'Hold-out' : config.arms.find((a) => a.key === arm)!.label} (${arm})`,
    );
    expect(start.sim.taken[`split.${arm}`]).toBe(1);
  });

  it('appears in the palette with a form, a valid starter, a summary, and its arm in the variable picker', () => {
    const kind = findNodeKind('experiment')!;
    expect(kind.palette.group).toBe('Flow');
    expect(kindStyle('experiment')).toEqual({ label: 'Experiment', icon: kind.icon, color: kind.palette.color });
    expect(kind.config.safeParse(starterConfig('experiment')).success).toBe(true);
    const fields = fieldsFor('experiment');
    expect(fields.map((f) => f.key)).toEqual(['arms', 'holdout']);
    expect(fields[0].help).toMatch(/own outgoing connection/);
    expect(summarize(graph().nodes[1])).toBe('2 arms · with hold-out');
    expect(variableOptions(graph()).find((o) => o.value === 'split.arm')).toEqual({
      value: 'split.arm',
      label: 'split.arm (Gift test)',
      group: 'Step results',
    });
  });
});
