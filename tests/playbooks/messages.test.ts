import { compilePlaybook } from '../../playbooks/compile';
import type { FormData } from '../../playbooks/form';
import { MESSAGE_TEMPLATES, messageVariables, placeholdersOf, renderMessage, renderTemplate } from '../../playbooks/messages';
import type { CompiledPlan } from '../../playbooks/plan';
import { applyEvent, nextTimer, startRun, type Actor, type Command, type Json, type RunEvent, type RunState, type TaskSpec } from '../../playbooks/runtime';
import { TEMPLATES } from '../../playbooks/templates';

const actor: Actor = { userId: 'u-hana', role: 'department_head', department: 'after_sales' };
const LINK = 'https://service.example/r/token';
const CUSTOMERS: Record<string, Json>[] = [
  {
    id: 'C-1',
    name: 'Ada Ordinary',
    department: 'after_sales',
    grade: 'ordinary',
    value: 800,
    accountManager: null,
    status: 'at_risk',
    churnType: null,
    churnReason: null,
  },
  {
    id: 'C-2',
    name: 'Core Carla',
    department: 'after_sales',
    grade: 'core',
    value: 250_000,
    accountManager: 'u-rita',
    status: 'at_risk',
    churnType: 'pre_churn',
    churnReason: null,
  },
];

describe('message rendering', () => {
  it('fills a step variable that names a run variable from the run (the complaint acknowledgement)', () => {
    const { body } = renderMessage('complaint_ack', { customer: { name: 'Ada' }, handler: 'Rita' }, { handler: '{{handler}}' });
    expect(body).toBe('Dear Ada, thank you for telling us. Rita is looking into it now and will report back to you shortly.');
  });

  it('fills customer fields and dotted run variables, and never re-reads a filled-in value', () => {
    const { subject, body } = renderMessage(
      'free_text',
      { customer: { name: 'Ada', grade: 'core' }, 'call.outcome': 'reached', note: '{{customer.name}}' },
      { subject: 'Hello {{customer.name}}', text: '{{call.outcome}} / {{customer.grade}} / {{note}}' },
    );
    expect(subject).toBe('Hello Ada');
    expect(body).toBe('reached / core / {{customer.name}}');
  });
});

/** A form filled in as the API would accept it; `choice` picks the value of the first choice field. */
function fillForm(task: TaskSpec, choice: string | null): FormData {
  const form: FormData = {};
  for (const field of task.form) {
    if (field.type === 'choice') form[field.key] = choice ?? field.options?.[0]?.value ?? 'x';
    else if (field.type === 'number' || field.type === 'money') form[field.key] = 42;
    else if (field.type === 'boolean') form[field.key] = true;
    else if (field.type === 'date') form[field.key] = '2025-02-01';
    else form[field.key] = `${field.key} text`;
  }
  return form;
}

/** What any waiting step could be answered with (a test may read node configs; the runtime does not). */
function answersFor(plan: CompiledPlan, state: RunState): string[] {
  const kinds = new Set<string>();
  for (const step of Object.values(state.steps)) {
    const node = plan.nodes[step.nodeId];
    if (node.kind === 'wait_response') for (const k of (node.config as { kinds: string[] }).kinds) kinds.add(k);
    if (node.kind === 'offer') ['accepted', 'declined'].forEach((k) => kinds.add(k));
    if (node.kind === 'commitment') ['signed', 'declined'].forEach((k) => kinds.add(k));
  }
  return [...kinds];
}

/** Every next event worth trying: each task outcome (and each choice of its first choice field), the next timer, each answer. */
function nextEvents(plan: CompiledPlan, state: RunState, now: number): RunEvent[] {
  const events: RunEvent[] = [];
  for (const task of Object.values(state.tasks)) {
    const choices = task.form.find((f) => f.type === 'choice')?.options?.map((o) => o.value) ?? [null];
    for (const outcome of task.outcomes)
      for (const choice of choices)
        events.push({ type: 'task_completed', at: now + 60_000, taskKey: task.taskKey, outcome: outcome.key, form: fillForm(task, choice), actor });
  }
  const timer = nextTimer(state);
  if (timer) events.push({ type: 'timer_fired', at: Math.max(now, timer.firesAt), timerKey: timer.timerKey });
  for (const kind of answersFor(plan, state)) events.push({ type: 'customer_responded', at: now + 60_000, kind, channel: 'phone', note: null, actor: null });
  return events;
}

/** Where a run is, for de-duplication: steps (with their phase), open work, visits and the variables decisions read. */
function place(state: RunState): string {
  const vars = Object.fromEntries(Object.entries(state.vars).filter(([k]) => !k.startsWith('responses.') && k !== 'last_response'));
  return JSON.stringify({
    steps: Object.values(state.steps)
      .map((s) => [s.nodeId, s.data.phase ?? null, s.data.tier ?? null, s.data.escalationLevel ?? null])
      .sort(),
    tasks: Object.values(state.tasks)
      .map((t) => t.title)
      .sort(),
    timers: Object.values(state.timers)
      .map((t) => t.purpose)
      .sort(),
    visits: state.visits,
    vars,
  });
}

/** Walk every path of a plan (bounded by de-duplication), handing each message to `onMessage` with the run's variables at that moment. */
function everyMessage(
  plan: CompiledPlan,
  customer: Record<string, Json>,
  onMessage: (cmd: Extract<Command, { type: 'send_message' }>, vars: Record<string, Json>) => void,
): { states: number; ends: number } {
  const T0 = Date.UTC(2025, 0, 6, 9);
  const seen = new Set<string>();
  const started = startRun(plan, { customer, ...(customer.accountManager ? { account_manager: customer.accountManager } : {}) }, T0);
  const stack: { state: RunState; now: number; commands: Command[] }[] = [{ state: started.state, now: T0, commands: started.commands }];
  let ends = 0;
  while (stack.length) {
    const { state, now, commands } = stack.pop()!;
    for (const cmd of commands) if (cmd.type === 'send_message') onMessage(cmd, state.vars);
    if (state.status !== 'running') {
      ends += 1;
      continue;
    }
    const key = place(state);
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > 20_000) throw new Error('too many states: the walk does not converge');
    for (const event of nextEvents(plan, state, now)) {
      const next = applyEvent(plan, state, event);
      if (next.state === state) continue;
      stack.push({ state: next.state, now: event.at, commands: next.commands });
    }
  }
  return { states: seen.size, ends };
}

describe('every seeded playbook, on every path, sends messages without template syntax', () => {
  const renderedBy = new Map<string, number>();
  it.each(TEMPLATES.map((t) => [t.key, t] as const))('%s', (_key, template) => {
    const compiled = compilePlaybook(template.graph);
    expect(compiled.problems).toEqual([]);
    // The compiler agrees: no placeholder of this playbook may be unset where its message is sent.
    expect(compiled.warnings).toEqual([]);
    const plan = compiled.plan!;
    const rendered: string[] = [];
    let ends = 0;
    for (const customer of CUSTOMERS) {
      const walk = everyMessage(plan, customer, (cmd, vars) => {
        const message = renderMessage(cmd.template, vars, cmd.vars, { link: cmd.link ? LINK : null });
        for (const text of [message.subject, message.body]) {
          rendered.push(text);
          expect({ template: cmd.template, text }).toEqual({ template: cmd.template, text: expect.not.stringContaining('{{') });
        }
        // Every placeholder got a value: no "Dear , …" either.
        const template = MESSAGE_TEMPLATES.find((t) => t.key === cmd.template)!;
        const filled = messageVariables(vars, cmd.vars, { link: cmd.link ? LINK : null });
        for (const name of placeholdersOf(`${template.subject} ${template.body}`)) {
          expect({ template: cmd.template, name, value: renderTemplate(`{{${name}}}`, filled) }).toEqual({
            template: cmd.template,
            name,
            value: expect.stringMatching(/\S/),
          });
        }
      });
      ends += walk.ends;
    }
    expect(ends).toBeGreaterThan(0);
    renderedBy.set(template.key, rendered.length);
  });

  it('walked the playbooks that send messages', () => {
    expect(Math.min(...['complaint-response', 'tiered-win-back', 'commitment-offer'].map((k) => renderedBy.get(k) ?? 0))).toBeGreaterThan(0);
  });
});

describe('the compiler warns about placeholders that may be unset', () => {
  const at = { x: 0, y: 0 };
  /** triage → (call →) ack → end: `handler` comes from the call's form; `direct` skips the call. */
  const graph = (handlerRequired: boolean, canSkipCall: boolean) => ({
    nodes: [
      { id: 'start', kind: 'start', position: at, config: {} },
      {
        id: 'triage',
        kind: 'task',
        position: at,
        config: {
          title: 'Triage',
          assignee: { type: 'role', role: 'rep' },
          outcomes: [
            { key: 'call', label: 'Call first' },
            { key: 'direct', label: 'Write at once' },
          ],
        },
      },
      {
        id: 'call',
        kind: 'task',
        position: at,
        config: {
          title: 'Call',
          assignee: { type: 'role', role: 'rep' },
          outcomes: [{ key: 'reached', label: 'Reached' }],
          form: [{ key: 'handler', label: 'Handler', type: 'text', required: handlerRequired }],
        },
      },
      {
        id: 'ack',
        kind: 'notify',
        position: at,
        config: { channel: 'sms', to: { kind: 'customer' }, template: 'complaint_ack', vars: { handler: '{{handler}}' } },
      },
      { id: 'end', kind: 'end', position: at, config: { outcome: 'resolved' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'triage' },
      { id: 'e2', source: 'triage', sourceHandle: 'call', target: 'call' },
      { id: 'e3', source: 'triage', sourceHandle: 'direct', target: canSkipCall ? 'ack' : 'call' },
      { id: 'e4', source: 'call', sourceHandle: 'reached', target: 'ack' },
      { id: 'e5', source: 'ack', sourceHandle: 'next', target: 'end' },
    ],
  });

  it('warns, pinned to the sending node, when some path reaches the message without setting the variable; the playbook still compiles', () => {
    // triage → direct → ack never asks for a handler.
    const result = compilePlaybook(graph(true, true));
    expect(result.ok).toBe(true);
    expect(result.plan).not.toBeNull();
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'placeholder_may_be_unset',
        severity: 'warning',
        nodeId: 'ack',
        path: ['nodes', 3, 'config', 'template'],
        message: expect.stringContaining('{{handler}}'),
      }),
    ]);
  });

  it('warns when the form field that sets it is optional', () => {
    expect(compilePlaybook(graph(false, false)).warnings.map((w) => [w.nodeId, w.code])).toEqual([['ack', 'placeholder_may_be_unset']]);
  });

  it('is quiet when every path sets it', () => {
    expect(compilePlaybook(graph(true, false)).warnings).toEqual([]);
  });
});
