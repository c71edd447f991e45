import fc from 'fast-check';
import { compilePlaybook } from '../../playbooks/compile';
import type { FormData } from '../../playbooks/form';
import { RESPONSE_KINDS } from '../../playbooks/nodes/waitResponse';
import {
  answerStatus,
  applyEvent,
  nextTimer,
  openAnswers,
  startRun,
  type Actor,
  type AnswerTarget,
  type Command,
  type RunEvent,
  type TaskSpec,
} from '../../playbooks/runtime';
import { customerArb, validGraphArb } from '../support/validGraphs';

/**
 * Over generated valid playbooks driven at random (phone answers, task outcomes, timers and link
 * answers mixed): every link the run ever sent answers only while it is open; at any other moment
 * its answer changes nothing at all.
 */
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261124);
const T0 = Date.UTC(2025, 0, 6, 9);
const actor: Actor = { userId: 'u-hana', role: 'department_head', department: 'after_sales' };

function fillForm(task: TaskSpec): FormData {
  const form: FormData = {};
  for (const field of task.form) {
    if (field.type === 'choice') form[field.key] = field.options?.[0]?.value ?? 'x';
    else if (field.type === 'number' || field.type === 'money') form[field.key] = 42;
    else if (field.type === 'boolean') form[field.key] = true;
    else if (field.type === 'date') form[field.key] = '2025-02-01';
    else form[field.key] = 'noted';
  }
  return form;
}

const linksIn = (commands: Command[]): AnswerTarget[] =>
  commands.flatMap((c) => (c.type === 'send_message' && c.link ? [{ purpose: c.link.purpose, ref: c.link.ref, nodeId: c.link.nodeId ?? null }] : []));

describe('link answers on generated playbooks', () => {
  it('a link answers only what is open; a stale one leaves the state untouched and emits nothing', () => {
    let staleTried = 0;
    let openApplied = 0;
    fc.assert(
      fc.property(validGraphArb, customerArb, fc.gen(), ({ graph }, customer, g) => {
        const plan = compilePlaybook(graph).plan!;
        let now = T0;
        let { state, commands } = startRun(plan, { customer }, now);
        const links = linksIn(commands);
        for (let events = 0; state.status === 'running' && events < 300; events++) {
          // Every link sent so far: its status is exactly "listed among the open answers".
          for (const link of links) {
            const status = answerStatus(state, link);
            expect(status.open).toBe(openAnswers(state).some((a) => a.ref === link.ref && a.purpose === link.purpose));
            if (!status.open) {
              const kind = link.purpose === 'offer' ? g(fc.constantFrom, 'accepted', 'declined') : g(fc.constantFrom, 'signed', 'declined');
              const stale = applyEvent(plan, state, { type: 'customer_responded', at: now + 1, kind, channel: 'link', note: null, actor: null, answers: link });
              expect(stale.state).toBe(state);
              expect(stale.commands).toEqual([]);
              staleTried += 1;
            }
          }
          const tasks = Object.values(state.tasks);
          const timer = nextTimer(state);
          const open = openAnswers(state);
          const choice = g(fc.constantFrom, ...(tasks.length ? ['task'] : []), ...(timer ? ['timer'] : []), ...(open.length ? ['link'] : []), 'phone');
          let event: RunEvent;
          if (choice === 'task') {
            const task = tasks[g(fc.nat, tasks.length - 1)];
            event = {
              type: 'task_completed',
              at: (now += 60_000),
              taskKey: task.taskKey,
              outcome: g(fc.constantFrom, ...task.outcomes.map((o) => o.key)),
              form: fillForm(task),
              actor,
            };
          } else if (choice === 'timer' && timer) {
            now = Math.max(now, timer.firesAt);
            event = { type: 'timer_fired', at: now, timerKey: timer.timerKey };
          } else if (choice === 'link') {
            const target = open[g(fc.nat, open.length - 1)];
            const kind = target.purpose === 'offer' ? g(fc.constantFrom, 'accepted', 'declined') : g(fc.constantFrom, 'signed', 'declined');
            event = {
              type: 'customer_responded',
              at: (now += 60_000),
              kind,
              channel: 'link',
              note: null,
              actor: null,
              answers: { purpose: target.purpose, ref: target.ref, nodeId: target.nodeId },
            };
            openApplied += 1;
          } else {
            event = { type: 'customer_responded', at: (now += 60_000), kind: g(fc.constantFrom, ...RESPONSE_KINDS), channel: 'phone', note: null, actor: null };
          }
          ({ state, commands } = applyEvent(plan, state, event));
          // An open link's answer is taken: the offer or agreement records it.
          if (choice === 'link') expect(commands.some((c) => c.type === 'record_offer' || c.type === 'record_agreement')).toBe(true);
          links.push(...linksIn(commands));
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED, includeErrorInReport: true },
    );
    // The property exercised both sides.
    expect(staleTried).toBeGreaterThan(0);
    expect(openApplied).toBeGreaterThan(0);
  });
});
