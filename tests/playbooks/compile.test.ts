import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { callBackGraph } from '../../playbooks/templates/callBack';

const clone = (g: PlaybookGraph): PlaybookGraph => JSON.parse(JSON.stringify(g));
const codes = (g: unknown) =>
  compilePlaybook(g)
    .problems.map((p) => `${p.code}@${p.edgeId ?? p.nodeId ?? p.path.join('.')}`)
    .sort();

describe('compiler', () => {
  it('compiles the call-back template with a stable content hash', () => {
    const a = compilePlaybook(callBackGraph);
    expect(a.problems).toEqual([]);
    expect(a.plan!.nodes.call_back.next).toEqual({ reached: 'end_reached', unreachable: 'end_unreachable' });
    // Moving a node on the canvas does not change what runs, so the hash stays.
    const moved = clone(callBackGraph);
    moved.nodes[1].position = { x: 999, y: 1 };
    expect(compilePlaybook(moved).plan!.hash).toBe(a.plan!.hash);
    const renamed = clone(callBackGraph);
    (renamed.nodes[1].config as { title: string }).title = 'Call them';
    expect(compilePlaybook(renamed).plan!.hash).not.toBe(a.plan!.hash);
  });

  it('reports every problem at once, pinned to nodes and edges', () => {
    const g = clone(callBackGraph);
    g.edges = g.edges.filter((e) => e.id !== 'e3'); // "unreachable" outcome leads nowhere
    g.edges.push({ id: 'e4', source: 'call_back', sourceHandle: 'reached', target: 'end_unreachable' }); // a second edge on one handle
    g.edges.push({ id: 'e5', source: 'call_back', sourceHandle: 'maybe', target: 'end_reached' }); // no such handle
    g.nodes.push({ id: 'orphan', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'lost' } });
    g.nodes.push({ id: 'weird', kind: 'teleport', position: { x: 0, y: 0 }, config: {} });
    (g.nodes[1].config as { assignee: unknown }).assignee = { type: 'role', role: 'wizard', department: 'customer' };
    expect(codes(g)).toEqual(
      [
        'handle_multiple_edges@e4',
        'handle_unconnected@call_back',
        'unknown_handle@e5',
        'unknown_node_kind@weird',
        'unknown_role@call_back',
        'unreachable@end_unreachable', // its only edge was the refused second one
        'unreachable@orphan',
        'unreachable@weird',
      ].sort(),
    );
  });

  it('needs exactly one start and refuses a loop that never waits', () => {
    expect(codes({ nodes: [{ id: 'e', kind: 'end', config: { outcome: 'lost' } }], edges: [] })).toContain('no_start@nodes');
    const loop: PlaybookGraph = {
      nodes: [
        { id: 's', kind: 'start', position: { x: 0, y: 0 }, config: {} },
        { id: 'a', kind: 'start', position: { x: 0, y: 0 }, config: {} },
        { id: 'end', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'lost' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'a' },
        { id: 'e2', source: 'a', sourceHandle: 'next', target: 'a' },
      ],
    };
    const found = codes(loop);
    expect(found).toEqual(expect.arrayContaining(['multiple_starts@a', 'cycle_without_wait@a', 'edge_into_start@e1']));
  });

  it('bounds text and keys anywhere in a config, each problem at its full path', () => {
    const config = { variables: [{ key: 'v', deep: { text: 'x'.repeat(4001) } }], ['k'.repeat(101)]: 1, fine: { text: 'y'.repeat(4000) } };
    const result = compilePlaybook({ nodes: [{ id: 'start', kind: 'start', config }], edges: [] });
    expect(result.ok).toBe(false);
    const bounds = result.problems.filter((p) => /may be at most/.test(p.message)).map((p) => [p.message, p.path]);
    expect(bounds).toEqual([
      ['a key may be at most 100 characters', ['nodes', 0, 'config', 'k'.repeat(40)]],
      ['text may be at most 4000 characters', ['nodes', 0, 'config', 'variables', 0, 'deep', 'text']],
    ]);
  });

  it('reports invalid configs with their JSON path', () => {
    const g = clone(callBackGraph);
    (g.nodes[1].config as { outcomes: unknown }).outcomes = [];
    (g.nodes[1].config as { sla: string }).sla = 'P0D';
    const problems = compilePlaybook(g).problems;
    expect(problems.map((p) => p.path.join('.'))).toEqual(expect.arrayContaining(['nodes.1.config.outcomes', 'nodes.1.config.sla']));
    expect(problems.every((p) => p.nodeId === 'call_back' || p.code === 'handle_unconnected' || p.code === 'no_path_to_end' || p.code === 'unreachable')).toBe(
      true,
    );
  });

  it('gives the worst-case duration from the waits on the longest path', () => {
    const g = clone(callBackGraph);
    g.nodes.push({ id: 'wait', kind: 'delay', position: { x: 0, y: 0 }, config: { duration: 'P14D' } });
    g.edges = g.edges.map((e) => (e.id === 'e3' ? { ...e, target: 'wait' } : e));
    g.edges.push({ id: 'e9', source: 'wait', sourceHandle: 'next', target: 'end_unreachable' });
    expect(compilePlaybook(g).worstCaseDurationMs).toBe(14 * 86_400_000);
  });
});

/** A small graph from a node list and `source.handle → target` edges. */
function graphOf(nodes: [id: string, kind: string, config: Record<string, unknown>][], edges: string[]): PlaybookGraph {
  return {
    nodes: nodes.map(([id, kind, config]) => ({ id, kind, position: { x: 0, y: 0 }, config })),
    edges: edges.map((e, i) => {
      const [, source, sourceHandle, target] = /^(.+)\.([^.]+) → (.+)$/.exec(e)!;
      return { id: `e${i + 1}`, source, sourceHandle, target };
    }),
  };
}
const task = (outcomes: string[], form: string[] = []) => ({
  title: 'Call',
  assignee: { type: 'role', role: 'rep', department: 'customer' },
  outcomes: outcomes.map((key) => ({ key, label: key })),
  form: form.map((key) => ({ key, label: key, type: 'text' })),
});
const decide = (...vars: unknown[]) => ({
  rules: vars.map((when, i) => ({ handle: `r${i}`, when: typeof when === 'string' ? { var: when, op: 'exists' } : when })),
});

describe('compiler: variables exist', () => {
  /** start → decision `d` (one rule per var, every rule and default to the end) → task `call` → offer `offer` → end. */
  const reading = (...vars: unknown[]) =>
    graphOf(
      [
        ['start', 'start', { variables: [{ key: 'segment', type: 'string' }] }],
        ['d', 'decision', decide(...vars)],
        ['call', 'task', task(['done'], ['churn_code'])],
        ['offer', 'offer', { tiers: [{ label: '5%', incentive: { type: 'percent', value: 5, description: '5% off' }, validity: 'P7D' }] }],
        ['update', 'update_customer', { churnReasonFrom: 'churn_code' }],
        ['end', 'end', { outcome: 'lost' }],
      ],
      [
        'start.next → d',
        ...vars.map((_, i) => `d.r${i} → call`),
        'd.default → call',
        'call.done → offer',
        'offer.accepted → update',
        'offer.exhausted → update',
        'update.next → end',
      ],
    );

  it('accepts every variable a run can have', () => {
    const vars = [
      'customer.id',
      'customer.name',
      'customer.department',
      'customer.grade',
      'customer.value',
      'customer.accountManager',
      'segment',
      'churn_code',
      'call.outcome',
      'call.completedBy',
      'offer.tier',
      'offer.exhausted',
      'offer.outcome',
      'last_response',
      'responses.accepted',
      'responses.callback_requested',
      'accepted_offer',
      'agreement_signed',
      'account_manager',
      'churn_reason',
      'churn_type',
      'visits.call',
      'visits.d',
      'visits.end',
    ];
    expect(compilePlaybook(reading(...vars)).problems).toEqual([]);
  });

  it('refuses a variable no run has, pointing at the rule that reads it', () => {
    const wrong = [
      'customer.shoeSize',
      'customer',
      'segmnt',
      'churn_reasn',
      'nobody.outcome',
      'd.outcome',
      'call.tier',
      'end.exhausted',
      'visits.ghost',
      'visits.',
      'responses.Accepted',
      'responses.',
      'constructor',
      '__proto__',
      'toString',
    ];
    const problems = compilePlaybook(reading(...wrong)).problems;
    expect(problems.map((p) => [p.code, p.nodeId, p.path.join('.')])).toEqual(
      wrong.map((_, i) => ['unknown_variable', 'd', `nodes.1.config.rules.${i}.when.var`]),
    );
    expect(problems[0].message).toContain('"customer.shoeSize"');
  });

  it('finds variables nested in all / any / not', () => {
    const when = {
      all: [
        { var: 'customer.grade', op: 'eq', value: 'core' },
        { any: [{ not: { var: 'typo', op: 'exists' } }, { var: 'call.outcome', op: 'eq', value: 'done' }] },
      ],
    };
    expect(compilePlaybook(reading(when)).problems.map((p) => p.path.join('.'))).toEqual(['nodes.1.config.rules.0.when.all.1.any.0.not.var']);
  });

  it('checks update_customer.churnReasonFrom too', () => {
    const g = reading('segment');
    (g.nodes[4].config as { churnReasonFrom: string }).churnReasonFrom = 'reason_typo';
    expect(codes(g)).toEqual(['unknown_variable@update']);
    expect(compilePlaybook(g).problems[0].path).toEqual(['nodes', 4, 'config', 'churnReasonFrom']);
  });

  it('knows the form fields of the tasks node kinds open themselves', () => {
    // An escalation's decision note and an offer's approval note become run variables when completed.
    const g = graphOf(
      [
        ['start', 'start', {}],
        ['esc', 'escalate', { reason: 'angry customer' }],
        ['d', 'decision', decide('decision_note', 'approval_note')],
        ['end', 'end', { outcome: 'lost' }],
      ],
      ['start.next → esc', 'esc.resolved → d', 'esc.not_resolved → d', 'd.r0 → end', 'd.r1 → end', 'd.default → end'],
    );
    expect(codes(g)).toEqual(['unknown_variable@d']); // approval_note: no offer or commitment in this graph
  });
});

describe('compiler: loop bounds', () => {
  /** start → call → (no_answer) wait → call again …; (reached) → end. */
  const retry = (guard: unknown[] | null, extra: [string, string, Record<string, unknown>][] = []) =>
    graphOf(
      [
        ['start', 'start', {}],
        ['call', 'task', task(['reached', 'no_answer'])],
        ['pause', 'delay', { duration: 'P1D' }],
        ...(guard ? [['guard', 'decision', decide(...guard)] as [string, string, Record<string, unknown>]] : []),
        ['end', 'end', { outcome: 'closed' }],
        ...extra,
      ],
      [
        'start.next → call',
        'call.reached → end',
        guard ? 'call.no_answer → guard' : 'call.no_answer → pause',
        ...(guard ? ['guard.r0 → end', 'guard.default → pause'] : []),
        'pause.next → call',
      ],
    );

  it('refuses a loop without an attempt limit, pinned to its first node', () => {
    const result = compilePlaybook(retry(null));
    expect(result.problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([['unbounded_loop', 'call', ['nodes', 1]]]);
    expect(result.problems[0].message).toMatch(/call → pause|pause → call/);
  });

  it('accepts a loop bounded by a decision on visits of one of its nodes; its worst case is then unknown', () => {
    for (const node of ['call', 'pause', 'guard']) {
      const result = compilePlaybook(retry([{ var: `visits.${node}`, op: 'gte', value: 3 }]));
      expect({ node, problems: result.problems }).toEqual({ node, problems: [] });
      expect(result.worstCaseDurationMs).toBeNull();
    }
    // The counter may sit anywhere in the rule.
    expect(codes(retry([{ any: [{ var: 'last_response', op: 'eq', value: 'declined' }, { not: { var: 'visits.call', op: 'lt', value: 3 } }] }]))).toEqual([]);
  });

  it('a decision in the loop on something else, or a counter of a node outside the loop, is no bound', () => {
    expect(codes(retry(['customer.grade']))).toEqual(['unbounded_loop@call']);
    expect(codes(retry(['visits.start']))).toEqual(['unbounded_loop@call']);
    // A counter outside the loop on a node of the loop does not bound it either.
    const outside = graphOf(
      [
        ['start', 'start', {}],
        ['check', 'decision', decide('visits.call')],
        ['call', 'task', task(['reached', 'no_answer'])],
        ['pause', 'delay', { duration: 'P1D' }],
        ['end', 'end', { outcome: 'closed' }],
      ],
      ['start.next → check', 'check.r0 → end', 'check.default → call', 'call.reached → end', 'call.no_answer → pause', 'pause.next → call'],
    );
    expect(codes(outside)).toEqual(['unbounded_loop@call']);
  });

  it('checks each loop on its own, self-loops included', () => {
    const g = graphOf(
      [
        ['start', 'start', {}],
        ['nag', 'wait_response', { kinds: ['accepted'], timeout: 'P3D' }],
        ['call', 'task', task(['reached', 'no_answer'])],
        ['guard', 'decision', decide({ var: 'visits.call', op: 'gte', value: 2 })],
        ['end', 'end', { outcome: 'closed' }],
      ],
      [
        'start.next → nag',
        'nag.no_response → nag',
        'nag.accepted → call',
        'call.reached → end',
        'call.no_answer → guard',
        'guard.r0 → end',
        'guard.default → call',
      ],
    );
    expect(codes(g)).toEqual(['unbounded_loop@nag']);
  });
});

describe('compiler: odd names and odd inputs', () => {
  it('refuses node ids and handles named like built-in object members ("__proto__", "constructor")', () => {
    const g = graphOf(
      [
        ['start', 'start', {}],
        ['__proto__', 'task', task(['constructor', 'ok'])],
        ['end', 'end', { outcome: 'lost' }],
      ],
      ['start.next → __proto__', '__proto__.constructor → end', '__proto__.ok → end'],
    );
    const problems = compilePlaybook(g).problems;
    expect(problems.map((p) => p.path.join('.'))).toEqual(expect.arrayContaining(['nodes.1.id']));
    expect(problems.every((p) => typeof p.message === 'string' && p.message.length > 0)).toBe(true);
    const renamed = graphOf(
      [
        ['start', 'start', {}],
        ['call', 'task', task(['constructor', 'ok'])],
        ['end', 'end', { outcome: 'lost' }],
      ],
      ['start.next → call', 'call.constructor → end', 'call.ok → end'],
    );
    // The broken config also leaves the shape checks around it complaining, as for any broken config.
    expect(compilePlaybook(renamed).problems.map((p) => p.path.join('.'))).toContain('nodes.1.config.outcomes.0.key');
  });

  it('reports a condition nested thousands of levels deep instead of overflowing the stack', () => {
    let when: unknown = { var: 'customer.grade', op: 'eq', value: 'core' };
    for (let i = 0; i < 20_000; i++) when = { not: when };
    const g = graphOf(
      [
        ['start', 'start', {}],
        ['d', 'decision', { rules: [{ handle: 'a', when }] }],
        ['end', 'end', { outcome: 'lost' }],
      ],
      ['start.next → d', 'd.a → end', 'd.default → end'],
    );
    // The node then has no usable config, so the shape checks around it complain as for any broken config.
    expect(compilePlaybook(g).problems.map((p) => [p.code, p.path.join('.')])).toEqual([
      ['config_too_deep', 'nodes.1.config'],
      ['unreachable', 'nodes.2'],
      ['no_path_to_end', 'nodes.0'],
    ]);
    // Fifty levels is still fine.
    let shallow: unknown = { var: 'customer.grade', op: 'eq', value: 'core' };
    for (let i = 0; i < 50; i++) shallow = { not: shallow };
    (g.nodes[1].config as { rules: { when: unknown }[] }).rules[0].when = shallow;
    expect(compilePlaybook(g).problems).toEqual([]);
  });
});
