import fc from 'fast-check';
import type { GraphEdge, GraphNode, PlaybookGraph } from '../../playbooks/graph';
import { MESSAGE_TEMPLATES } from '../../playbooks/messages';
import { RESPONSE_KINDS } from '../../playbooks/nodes/waitResponse';

/**
 * fast-check arbitraries for playbook graphs that compile with zero problems.
 *
 * A graph is generated as a tree of blocks and then laid out backwards: every block gets the node
 * its main line continues to, so the shape is valid by construction. One start, every handle wired
 * exactly once (a handle continues, ends the run, or runs a nested sequence first), everything
 * reachable and able to reach an end. Loops only come from `loop` blocks, which open with a waiting
 * node (so no cycle is wait-free) and close with a decision on `visits.<entry>` (so each is bounded).
 * Each parallel branch flows into a one-edge funnel node before its join, so a join has exactly one
 * incoming edge per branch (see the join bug documented in tests/playbooks/knownBugs.test.ts).
 */

const OUTCOMES = ['won_back', 'retained', 'resolved', 'lost', 'closed'] as const;
type EndOutcome = (typeof OUTCOMES)[number];

export type Exit = { t: 'next' } | { t: 'end'; outcome: EndOutcome } | { t: 'body'; body: Block[] };

export type RuleSpec =
  | { t: 'grade'; values: string[]; negate: boolean }
  | { t: 'value'; op: 'gt' | 'gte' | 'lt' | 'lte'; n: number }
  | { t: 'last_response'; kind: string }
  | { t: 'responses'; kind: string; n: number }
  | { t: 'outcome'; ref: number }
  | { t: 'tier'; ref: number; n: number }
  | { t: 'form'; ref: number }
  | { t: 'start_var' };

export type Block =
  | {
      t: 'task';
      exits: Exit[];
      form: boolean;
      assignee: 'role' | 'department' | 'variable';
      escalation: 0 | 1 | 2;
      priority: 'low' | 'normal' | 'high' | 'urgent';
    }
  | { t: 'wait'; kinds: string[]; exits: Exit[]; timeoutDays: number; reminders: boolean }
  | { t: 'delay'; duration: string }
  | { t: 'decision'; rules: RuleSpec[]; exits: Exit[] }
  | { t: 'notify'; to: 'customer' | 'role' | 'account_manager'; template: string; channel: 'email' | 'sms' | 'messaging' | 'phone_reminder' }
  | { t: 'update'; status: 'at_risk' | 'won_back' | 'lost' | null; churnReason: boolean; tags: string[] }
  | { t: 'offer'; tiers: { type: 'percent' | 'amount' | 'service'; value: number; days: number }[]; approvalAbove: number | null; exits: Exit[] }
  | { t: 'escalate'; exits: Exit[]; sla: boolean }
  | { t: 'commitment'; approval: boolean; termMonths: number; reminders: boolean; exits: Exit[] }
  | { t: 'parallel'; branches: Block[][] }
  | { t: 'loop'; first: Block; body: Block[]; max: number };

const outcomeArb = fc.constantFrom(...OUTCOMES);
const durationArb = fc.constantFrom('PT4H', 'P1D', 'P3D', 'P14D', 'P1W', 'P2DT12H');

function exitArb(depth: number): fc.Arbitrary<Exit> {
  // Mostly onwards, sometimes straight to an end: runs should get deep into the graph.
  const simple = [
    { arbitrary: fc.constant<Exit>({ t: 'next' }), weight: 3 },
    { arbitrary: outcomeArb.map((outcome): Exit => ({ t: 'end', outcome })), weight: 1 },
  ];
  return depth <= 0 ? fc.oneof(...simple) : fc.oneof(...simple, { arbitrary: seqArb(depth - 1, 1).map((body): Exit => ({ t: 'body', body })), weight: 2 });
}

/** The first handle always keeps going (straight on or through a nested sequence) so what follows stays reachable. */
function exitsArb(count: number, depth: number): fc.Arbitrary<Exit[]> {
  const first =
    depth <= 0
      ? fc.constant<Exit>({ t: 'next' })
      : fc.oneof(
          fc.constant<Exit>({ t: 'next' }),
          seqArb(depth - 1, 1).map((body): Exit => ({ t: 'body', body })),
        );
  return fc.tuple(first, fc.array(exitArb(depth), { minLength: count - 1, maxLength: count - 1 })).map(([a, rest]) => [a, ...rest]);
}

const ruleArb: fc.Arbitrary<RuleSpec> = fc.oneof(
  fc.record({
    t: fc.constant('grade' as const),
    values: fc.subarray(['core', 'high_potential', 'ordinary', 'churn_signs'], { minLength: 1 }),
    negate: fc.boolean(),
  }),
  fc.record({
    t: fc.constant('value' as const),
    op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
    n: fc.integer({ min: 0, max: 100_000 }),
  }),
  fc.record({ t: fc.constant('last_response' as const), kind: fc.constantFrom(...RESPONSE_KINDS) }),
  fc.record({ t: fc.constant('responses' as const), kind: fc.constantFrom(...RESPONSE_KINDS), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('outcome' as const), ref: fc.nat() }),
  fc.record({ t: fc.constant('tier' as const), ref: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('form' as const), ref: fc.nat() }),
  fc.constant<RuleSpec>({ t: 'start_var' }),
);

function taskArb(depth: number): fc.Arbitrary<Block> {
  return fc.integer({ min: 1, max: 3 }).chain((n) =>
    fc.record({
      t: fc.constant('task' as const),
      exits: exitsArb(n, depth),
      form: fc.boolean(),
      assignee: fc.constantFrom('role' as const, 'department' as const, 'variable' as const),
      escalation: fc.constantFrom(0 as const, 1 as const, 2 as const),
      priority: fc.constantFrom('low' as const, 'normal' as const, 'high' as const, 'urgent' as const),
    }),
  );
}

function waitArb(depth: number): fc.Arbitrary<Block> {
  return fc.uniqueArray(fc.constantFrom(...RESPONSE_KINDS), { minLength: 1, maxLength: 3 }).chain((kinds) =>
    fc.record({
      t: fc.constant('wait' as const),
      kinds: fc.constant(kinds),
      exits: exitsArb(kinds.length + 1, depth),
      timeoutDays: fc.integer({ min: 2, max: 21 }),
      reminders: fc.boolean(),
    }),
  );
}

function offerArb(depth: number): fc.Arbitrary<Block> {
  const tiers = fc
    .array(
      fc.record({
        type: fc.constantFrom('percent' as const, 'amount' as const, 'service' as const),
        value: fc.integer({ min: 0, max: 50 }),
        days: fc.integer({ min: 1, max: 14 }),
      }),
      { minLength: 1, maxLength: 3 },
    )
    // Small first, then larger: values ascend along the ladder.
    .map((ts) => {
      const values = ts.map((t) => t.value).sort((a, b) => a - b);
      return ts.map((t, i) => ({ ...t, value: values[i] }));
    });
  return fc.record({
    t: fc.constant('offer' as const),
    tiers,
    approvalAbove: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    exits: exitsArb(2, depth),
  });
}

function escalateArb(depth: number): fc.Arbitrary<Block> {
  return fc.record({ t: fc.constant('escalate' as const), exits: exitsArb(2, depth), sla: fc.boolean() });
}

function commitmentArb(depth: number): fc.Arbitrary<Block> {
  return fc.boolean().chain((approval) =>
    fc.record({
      t: fc.constant('commitment' as const),
      approval: fc.constant(approval),
      termMonths: fc.integer({ min: 1, max: 3 }),
      reminders: fc.boolean(),
      exits: exitsArb(approval ? 5 : 4, depth),
    }),
  );
}

const delayArb: fc.Arbitrary<Block> = fc.record({ t: fc.constant('delay' as const), duration: durationArb });
const notifyArb: fc.Arbitrary<Block> = fc.record({
  t: fc.constant('notify' as const),
  to: fc.constantFrom('customer' as const, 'role' as const, 'account_manager' as const),
  template: fc.constantFrom(...MESSAGE_TEMPLATES.map((m) => m.key)),
  channel: fc.constantFrom('email' as const, 'sms' as const, 'messaging' as const, 'phone_reminder' as const),
});
const updateArb: fc.Arbitrary<Block> = fc.record({
  t: fc.constant('update' as const),
  status: fc.constantFrom('at_risk' as const, 'won_back' as const, 'lost' as const, null),
  churnReason: fc.boolean(),
  tags: fc.subarray(['vip', 'price_sensitive', 'moved']),
});

function decisionArb(depth: number): fc.Arbitrary<Block> {
  return fc
    .array(ruleArb, { minLength: 1, maxLength: 3 })
    .chain((rules) => fc.record({ t: fc.constant('decision' as const), rules: fc.constant(rules), exits: exitsArb(rules.length + 1, depth) }));
}

const memo = new Map<string, fc.Arbitrary<unknown>>();
function memoised<T>(key: string, make: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  let arb = memo.get(key);
  if (!arb) memo.set(key, (arb = make()));
  return arb as fc.Arbitrary<T>;
}

/** A block that waits for time, a person or the customer: what every loop opens with. */
function waitingArb(depth: number): fc.Arbitrary<Block> {
  return memoised(`waiting${depth}`, () => fc.oneof(taskArb(depth), waitArb(depth), delayArb, offerArb(depth), escalateArb(depth), commitmentArb(depth)));
}

export function blockArb(depth: number): fc.Arbitrary<Block> {
  return memoised(`block${depth}`, () => {
    const leaves = [
      { arbitrary: taskArb(depth), weight: 4 },
      { arbitrary: waitArb(depth), weight: 2 },
      { arbitrary: delayArb, weight: 2 },
      { arbitrary: decisionArb(depth), weight: 3 },
      { arbitrary: notifyArb, weight: 1 },
      { arbitrary: updateArb, weight: 1 },
      { arbitrary: offerArb(depth), weight: 2 },
      { arbitrary: escalateArb(depth), weight: 1 },
      { arbitrary: commitmentArb(depth), weight: 1 },
    ];
    if (depth <= 0) return fc.oneof(...leaves);
    const parallel = fc.record({ t: fc.constant('parallel' as const), branches: fc.array(seqArb(depth - 1, 0), { minLength: 2, maxLength: 3 }) });
    const loop = fc.record({ t: fc.constant('loop' as const), first: waitingArb(depth - 1), body: seqArb(depth - 1, 0), max: fc.integer({ min: 2, max: 3 }) });
    return fc.oneof(...leaves, { arbitrary: parallel, weight: 2 }, { arbitrary: loop, weight: 2 });
  });
}

function seqArb(depth: number, minLength: number): fc.Arbitrary<Block[]> {
  return memoised(`seq${depth}-${minLength}`, () => fc.array(blockArb(depth), { minLength, maxLength: 2 }));
}

export interface BuiltGraph {
  graph: PlaybookGraph;
  /** True when the graph has a loop (its worst-case duration is then unknown). */
  hasLoop: boolean;
}

/** Lay the block tree out as a graph: start → blocks → end. */
export function buildGraph(blocks: Block[]): BuiltGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  let counter = 0;
  let hasLoop = false;
  const taskIds: string[] = [];
  const offerIds: string[] = [];
  const formKeys: string[] = [];
  /** Rules resolved once every node exists: they may read what any task or offer of the graph sets. */
  const pending: { config: { rules: unknown[] }; spec: RuleSpec }[] = [];

  const add = (kind: string, config: Record<string, unknown>): string => {
    const id = `${kind}_${++counter}`;
    nodes.push({ id, kind, name: `${kind} ${counter}`, position: { x: counter * 10, y: 0 }, config });
    return id;
  };
  const link = (source: string, sourceHandle: string, target: string) => edges.push({ id: `e${edges.length + 1}`, source, sourceHandle, target });
  const exitTo = (exit: Exit, next: string): string =>
    exit.t === 'next' ? next : exit.t === 'end' ? add('end', { outcome: exit.outcome, reason: `ended: ${exit.outcome}` }) : seq(exit.body, next);
  const wire = (id: string, handles: string[], exits: Exit[], next: string) => handles.forEach((h, i) => link(id, h, exitTo(exits[i], next)));

  function seq(list: Block[], next: string): string {
    let target = next;
    for (let i = list.length - 1; i >= 0; i--) target = block(list[i], target);
    return target;
  }

  function block(b: Block, next: string): string {
    switch (b.t) {
      case 'task': {
        const handles = b.exits.map((_, i) => ['done', 'reached', 'unreachable'][i]);
        const formKey = `note_${counter + 1}`;
        const id = add('task', {
          title: `Task ${counter + 1}`,
          assignee:
            b.assignee === 'role'
              ? { type: 'role', role: 'rep', department: 'customer' }
              : b.assignee === 'department'
                ? { type: 'role', role: 'department_head', department: 'after_sales' }
                : { type: 'variable', variable: 'account_manager', fallbackRole: 'rep' },
          outcomes: handles.map((key) => ({ key, label: key })),
          form: b.form
            ? [
                { key: formKey, label: 'Notes', type: 'textarea' },
                { key: `reason_${counter + 1}`, label: 'Reason', type: 'choice', options: ['A', 'B', 'C', 'D'].map((v) => ({ value: v, label: v })) },
              ]
            : [],
          priority: b.priority,
          ...(b.escalation > 0 ? { sla: 'P1D', escalation: [{ role: 'department_head' }, { role: 'ops_manager', after: 'P2D' }].slice(0, b.escalation) } : {}),
        });
        taskIds.push(id);
        if (b.form) formKeys.push(formKey, `reason_${counter}`);
        wire(id, handles, b.exits, next);
        return id;
      }
      case 'wait': {
        const id = add('wait_response', {
          kinds: b.kinds,
          timeout: `P${b.timeoutDays}D`,
          reminders: b.reminders ? [{ after: 'P1D' }] : [],
        });
        wire(id, [...b.kinds, 'no_response'], b.exits, next);
        return id;
      }
      case 'delay': {
        const id = add('delay', { duration: b.duration });
        link(id, 'next', next);
        return id;
      }
      case 'decision': {
        const config = { rules: [] as unknown[] };
        const id = add('decision', config);
        b.rules.forEach((spec) => pending.push({ config, spec }));
        wire(id, [...b.rules.map((_, i) => `r${i}`), 'default'], b.exits, next);
        return id;
      }
      case 'notify': {
        const id = add('notify', {
          channel: b.channel,
          to: b.to === 'role' ? { kind: 'role', role: 'department_head' } : { kind: b.to },
          template: b.template,
          vars: { text: 'hello', subject: 'news' },
        });
        link(id, 'next', next);
        return id;
      }
      case 'update': {
        const id = add('update_customer', {
          ...(b.status ? { status: b.status } : {}),
          addTags: b.tags,
          ...(b.churnReason ? { churnReasonFrom: 'churn_reason' } : {}),
        });
        link(id, 'next', next);
        return id;
      }
      case 'offer': {
        const id = add('offer', {
          tiers: b.tiers.map((t, i) => ({
            label: `Tier ${i + 1}`,
            incentive: { type: t.type, value: t.value, description: `${t.value} ${t.type}` },
            validity: `P${t.days}D`,
          })),
          ...(b.approvalAbove !== null ? { approvalAbove: b.approvalAbove } : {}),
        });
        offerIds.push(id);
        wire(id, ['accepted', 'exhausted'], b.exits, next);
        return id;
      }
      case 'escalate': {
        const id = add('escalate', { reason: 'customer asked for a manager', ...(b.sla ? { sla: 'P2D' } : {}) });
        taskIds.push(id);
        wire(id, ['resolved', 'not_resolved'], b.exits, next);
        return id;
      }
      case 'commitment': {
        const id = add('commitment', {
          termMonths: b.termMonths,
          discountPercent: 10,
          obligations: { firm: ['priority service'], customer: ['service with us'] },
          breachTerms: 'the discount ends',
          approval: b.approval,
          signatureTimeout: 'P10D',
          reminders: b.reminders ? ['P3D'] : [],
          checkInEvery: 'P30D',
        });
        taskIds.push(id);
        wire(id, ['fulfilled', 'breached', 'declined', 'no_response', ...(b.approval ? ['not_approved'] : [])], b.exits, next);
        return id;
      }
      case 'parallel': {
        const branches = b.branches.map((_, i) => ({ key: `b${i}`, label: `Branch ${i + 1}` }));
        const id = add('parallel', { branches });
        const join = add('join', {});
        link(join, 'next', next);
        b.branches.forEach((branch, i) => {
          const funnel = add('update_customer', { addTags: [`branch_${i}`] });
          link(funnel, 'next', join);
          link(id, branches[i].key, seq(branch, funnel));
        });
        return id;
      }
      case 'loop': {
        hasLoop = true;
        const guardConfig = { rules: [] as unknown[] };
        const guard = add('decision', guardConfig);
        link(guard, 'default', next);
        const entry = block(b.first, seq(b.body, guard));
        guardConfig.rules.push({ handle: 'again', label: 'try again', when: { var: `visits.${entry}`, op: 'lt', value: b.max } });
        link(guard, 'again', entry);
        return entry;
      }
    }
  }

  const start = add('start', {
    trigger: 'manual',
    variables: [
      { key: 'segment', type: 'string' },
      { key: 'score', type: 'number' },
    ],
  });
  const end = add('end', { outcome: 'retained', reason: 'made it through' });
  link(start, 'next', seq(blocks, end));

  pending.forEach(({ config, spec }) => {
    const from = <T>(list: T[], ref: number): T | undefined => (list.length ? list[ref % list.length] : undefined);
    let when: unknown;
    switch (spec.t) {
      case 'grade':
        when = spec.negate ? { not: { var: 'customer.grade', op: 'in', value: spec.values } } : { var: 'customer.grade', op: 'in', value: spec.values };
        break;
      case 'value':
        when = { var: 'customer.value', op: spec.op, value: spec.n };
        break;
      case 'last_response':
        when = { var: 'last_response', op: 'eq', value: spec.kind };
        break;
      case 'responses':
        when = { var: `responses.${spec.kind}`, op: 'gte', value: spec.n };
        break;
      case 'outcome': {
        const task = from(taskIds, spec.ref);
        when = task ? { var: `${task}.outcome`, op: 'exists' } : { var: 'customer.department', op: 'eq', value: 'after_sales' };
        break;
      }
      case 'tier': {
        const offer = from(offerIds, spec.ref);
        when = offer
          ? {
              any: [
                { var: `${offer}.tier`, op: 'gte', value: spec.n },
                { var: `${offer}.exhausted`, op: 'eq', value: true },
              ],
            }
          : { var: 'accepted_offer', op: 'exists' };
        break;
      }
      case 'form': {
        const key = from(formKeys, spec.ref);
        when = key ? { var: key, op: 'exists' } : { var: 'churn_reason', op: 'in', value: ['A', 'B'] };
        break;
      }
      case 'start_var':
        when = {
          all: [
            { var: 'segment', op: 'exists' },
            { var: 'score', op: 'gte', value: 10 },
          ],
        };
        break;
    }
    config.rules.push({ handle: `r${config.rules.length}`, when });
  });
  return { graph: { nodes, edges }, hasLoop };
}

/** Valid graphs with their block tree (shrinks towards small trees). */
export const validGraphArb: fc.Arbitrary<BuiltGraph> = fc.array(blockArb(2), { minLength: 1, maxLength: 4 }).map(buildGraph);

/** A customer as the workflow hands it to the runtime (`customer.*` variables). */
export const customerArb = fc.record({
  id: fc.constantFrom('C-1', 'C-2'),
  name: fc.constantFrom('Harbor Logistics', 'Mei Lin Auto Care'),
  department: fc.constantFrom('after_sales', 'key_accounts', 'service'),
  grade: fc.constantFrom('core', 'high_potential', 'ordinary', 'churn_signs'),
  value: fc.integer({ min: 0, max: 200_000 }),
  accountManager: fc.constantFrom('u-rita', 'u-kim', null),
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const badIds = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'a'.repeat(65), 'bad id', 'dup'];

/**
 * A valid graph broken in 1–4 ways: edges dropped or retargeted, handles renamed, configs of the
 * wrong type, duplicated ids, huge strings, prototype-ish names, deep nesting (up to `deepest`
 * levels: JSON.stringify itself overflows beyond ~4,000), junk nodes.
 */
export const mutatedGraphArbOf = (deepest: number): fc.Arbitrary<unknown> =>
  fc.tuple(validGraphArb, fc.array(fc.tuple(fc.nat(25), fc.nat(), fc.anything()), { minLength: 1, maxLength: 4 })).map(([built, mutations]) => {
    const g = clone(built.graph) as { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] } & Record<string, unknown>;
    for (const [which, n, junk] of mutations) {
      const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
      // Junk pushed by an earlier mutation is left as it is.
      const node = g.nodes.length && isObject(g.nodes[n % g.nodes.length]) ? g.nodes[n % g.nodes.length] : undefined;
      const edge = g.edges.length && isObject(g.edges[n % g.edges.length]) ? g.edges[n % g.edges.length] : undefined;
      const config = node && isObject(node.config) ? node.config : {};
      const configKeys = Object.keys(config);
      switch (which) {
        case 0:
          g.edges.splice(n % Math.max(1, g.edges.length), 1);
          break;
        case 1:
          if (edge) edge.sourceHandle = badIds[n % badIds.length] || 'nope';
          break;
        case 2:
          if (edge) edge.target = g.nodes.length ? g.nodes[(n * 7) % g.nodes.length].id : 'ghost';
          break;
        case 3:
          if (edge) edge.target = badIds[n % badIds.length];
          break;
        case 4:
          if (node && configKeys.length) config[configKeys[n % configKeys.length]] = junk;
          break;
        case 5:
          if (node) node.config = junk;
          break;
        case 6:
          if (node) g.nodes.push(clone(node));
          break;
        case 7:
          if (node) node.id = badIds[n % badIds.length];
          break;
        case 8:
          if (edge) g.edges.push({ ...edge });
          break;
        case 9:
          if (node) node.name = 'x'.repeat(100_000);
          break;
        case 10:
          if (node) node.kind = ['teleport', '', 'START', 'constructor', '__proto__'][n % 5];
          break;
        case 11:
          if (node) node.position = junk;
          break;
        case 12:
          if (node && configKeys.length) config[configKeys[n % configKeys.length]] = 'y'.repeat(50_000);
          break;
        case 13:
          g.nodes.splice(n % Math.max(1, g.nodes.length), 1);
          break;
        case 14:
          g.nodes.push(junk as Record<string, unknown>);
          break;
        case 15:
          g.edges.push(junk as Record<string, unknown>);
          break;
        case 16:
          if (node) node.kind = 'start';
          break;
        case 17: {
          // A condition nested far deeper than any person would draw.
          let when: unknown = { var: 'customer.grade', op: 'eq', value: 'core' };
          const depth = Math.max(1, deepest - (n % 1000));
          for (let i = 0; i < depth; i++) when = { not: when };
          if (node) node.config = { rules: [{ handle: 'deep', when }] };
          break;
        }
        case 18:
          if (node && configKeys.length) config[configKeys[n % configKeys.length]] = [[[[[[[[[[junk]]]]]]]]]];
          break;
        case 19:
          if (edge) edge.sourceHandle = ['constructor', '__proto__', 'toString', 'valueOf'][n % 4];
          break;
        case 20:
          if (node && typeof node.id === 'string') {
            const old = node.id;
            const fresh = ['__proto__', 'constructor', 'toString'][n % 3];
            node.id = fresh;
            for (const e of g.edges) {
              if (e.source === old) e.source = fresh;
              if (e.target === old) e.target = fresh;
            }
          }
          break;
        case 21:
          g.nodes = junk as Record<string, unknown>[];
          return g;
        case 22:
          if (edge) delete edge[['id', 'source', 'sourceHandle', 'target'][n % 4]];
          break;
        case 23:
          if (node) config.extra = junk;
          break;
        case 24:
          if (node && Array.isArray(config.rules))
            (config.rules as unknown[]).push({
              handle: `h${n}`,
              when: { var: ['visits.ghost', 'nobody.outcome', 'customer.shoeSize', 'responses.ABC', ''][n % 5], op: 'exists' },
            });
          break;
        default:
          g[String(junk)] = junk;
      }
    }
    return g;
  });

export const mutatedGraphArb = mutatedGraphArbOf(10_000);
