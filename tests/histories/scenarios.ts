import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { TEMPLATES } from '../../playbooks/templates';
import { sleeperV1, sleeperV2 } from '../support/migrationGraphs';
import {
  answerStatusQuery,
  completeTaskUpdate,
  customerAnswerUpdate,
  customerResponseSignal,
  operateUpdate,
  runViewQuery,
  snapshotQuery,
  type PlaybookRunInput,
} from '../../workflows/contract';

/**
 * Recorded runs that CI replays against the current workflow code: a change that would break
 * sleeping runs fails `tests/workflows/replay.test.ts`. Re-record with `npm run histories:record`
 * only when a change is meant to be incompatible (and then guard it with patched()).
 */
export interface Scenario {
  name: string;
  graph: PlaybookGraph;
  /** Who the run is for, where the playbook branches on it (default: an ordinary after-sales customer). */
  customer?: Partial<PlaybookRunInput['customer']>;
  /** Run variables the start brings beside the account manager (a typed start variable such as churn_type). */
  variables?: PlaybookRunInput['variables'];
  drive(env: TestWorkflowEnvironment, handle: WorkflowHandle, input: PlaybookRunInput): Promise<void>;
}

const rep = { userId: 'u-rita', role: 'rep', department: 'after_sales' };
const head = { userId: 'u-hana', role: 'department_head', department: 'after_sales' };
const ops = { userId: 'u-olga', role: 'ops_manager', department: null };

async function completeOpen(
  handle: WorkflowHandle,
  outcome: string,
  form: Record<string, string | number | boolean | null> = {},
  actor: { userId: string; role: string; department: string | null } = rep,
  title?: RegExp,
): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const view = await handle.query(runViewQuery);
    const task = view.openTasks.find((t) => !title || title.test(t.title));
    if (task) {
      await handle.executeUpdate(completeTaskUpdate, { args: [{ taskKey: task.taskKey, outcome, form, actor }] });
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no open task${title ? ` matching ${title}` : ''}`);
}

const answer = (handle: WorkflowHandle, kind: string) =>
  handle.signal(customerResponseSignal, { responseId: randomUUID(), kind, channel: 'phone', note: null, actor: rep });
const template = (key: string) => TEMPLATES.find((t) => t.key === key)?.graph;

export const SCENARIOS: Scenario[] = [
  {
    name: 'call-back-reached',
    graph: template('call-back')!,
    async drive(_env, handle) {
      await completeOpen(handle, 'reached', { notes: 'coming back' });
    },
  },
  {
    name: 'call-back-sla-delay',
    graph: {
      nodes: [
        { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'call',
          kind: 'task',
          position: { x: 0, y: 0 },
          config: {
            title: 'Call back',
            assignee: { type: 'role', role: 'rep' },
            outcomes: [{ key: 'done', label: 'Done' }],
            sla: 'P2D',
            escalation: [{ role: 'department_head' }],
          },
        },
        { id: 'wait', kind: 'delay', position: { x: 0, y: 0 }, config: { duration: 'P21D' } },
        { id: 'end', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'retained' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
        { id: 'e2', source: 'call', sourceHandle: 'done', target: 'wait' },
        { id: 'e3', source: 'wait', sourceHandle: 'next', target: 'end' },
      ],
    },
    async drive(env, handle) {
      await env.sleep('3 days');
      await completeOpen(handle, 'handled', {}, head, /^Escalation/);
      await completeOpen(handle, 'done');
    },
  },
  {
    name: 'offer-ladder-silence-decline-accept',
    graph: {
      nodes: [
        { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'offer',
          kind: 'offer',
          position: { x: 0, y: 0 },
          config: {
            tiers: [
              { label: 'Tier 1', incentive: { type: 'percent', value: 5, description: '5% off labour' }, validity: 'P14D' },
              { label: 'Tier 2', incentive: { type: 'percent', value: 10, description: '10% off labour' }, validity: 'P14D' },
              { label: 'Tier 3', incentive: { type: 'percent', value: 15, description: '15% off labour' }, validity: 'P14D' },
            ],
            approvalAbove: 12,
          },
        },
        { id: 'won', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'won_back' } },
        { id: 'lost', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'lost' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' },
        { id: 'e2', source: 'offer', sourceHandle: 'accepted', target: 'won' },
        { id: 'e3', source: 'offer', sourceHandle: 'exhausted', target: 'lost' },
      ],
    },
    async drive(env, handle) {
      await env.sleep('15 days'); // silent at tier 1
      await answer(handle, 'declined'); // tier 2 declined
      await completeOpen(handle, 'approved', {}, head, /^Approve offer/);
      await answer(handle, 'accepted'); // tier 3
    },
  },
];

SCENARIOS.push({
  name: 'tiered-win-back-reason-c',
  graph: template('tiered-win-back')!,
  async drive(env, handle) {
    await completeOpen(handle, 'reason_recorded', { churn_reason: 'C', call_notes: 'cheaper elsewhere' });
    await answer(handle, 'declined'); // tier 1
    await env.sleep('15 days'); // tier 2 expires
    await completeOpen(handle, 'approved', {}, head, /^Approve offer/);
    await answer(handle, 'accepted'); // tier 3
  },
});

SCENARIOS.push({
  name: 'complaint-founded-fixed-satisfied',
  graph: template('complaint-response')!,
  async drive(env, handle) {
    await completeOpen(handle, 'acknowledged', { handler: 'Rita' }, rep, /^Acknowledge/);
    await completeOpen(
      handle,
      'recorded',
      { complaint_summary: 'brakes squeak after the service', complaint_category: 'product', customer_expectation: null },
      rep,
      /^Record/,
    );
    await env.sleep('1 day');
    await completeOpen(handle, 'founded', { findings: 'a pad was fitted wrongly' }, rep, /^Investigate/);
    await completeOpen(handle, 'fixed', { solution: 'pads refitted free of charge', internal_cause: 'no checklist' }, rep, /^Fix/);
    await env.sleep('2 days');
    await answer(handle, 'satisfied');
    await completeOpen(handle, 'closed', { closing_details: 'pads refitted, customer satisfied' }, rep, /^Close/);
  },
});

SCENARIOS.push({
  name: 'commitment-signed-term-fulfilled',
  graph: template('commitment-offer')!,
  customer: { grade: 'core', value: 125_000 },
  async drive(env, handle) {
    await completeOpen(handle, 'drafted', { terms_summary: '12 months, 8% off', annual_spend_commitment: 60_000 }, rep, /^Draft/);
    await completeOpen(handle, 'approved', { approval_note: 'worth it' }, head, /^Approve agreement/);
    await answer(handle, 'signed');
    // Check-ins every 13 weeks; the term (360 days) ends before a fourth would be due.
    for (let quarter = 0; quarter < 3; quarter++) {
      await env.sleep('91 days');
      await completeOpen(handle, 'on_track', { check_in_notes: 'on track' }, rep, /^Agreement check-in/);
    }
    await env.sleep('90 days');
  },
});

SCENARIOS.push({
  // Answer links through the customerAnswer Update:
  // tier 1 declined by phone, its link now stale, the tier-2 link accepted.
  name: 'offer-link-stale-then-accepted',
  graph: SCENARIOS.find((s) => s.name === 'offer-ladder-silence-decline-accept')!.graph,
  async drive(_env, handle, input) {
    await answer(handle, 'declined');
    // The runtime names what replaced a stale link: wait until that is tier 2 (the decline applied).
    const current = async () => {
      const status = await handle.query(answerStatusQuery, {
        attemptId: input.attemptId,
        answers: { purpose: 'offer', ref: 'the-tier-1-link', nodeId: 'offer' },
      });
      return status.open === false && status.reason === 'replaced' ? status.current : null;
    };
    let open = await current();
    for (let i = 0; i < 50 && open?.tier !== 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      open = await current();
    }
    if (!open || open.tier !== 2) throw new Error('tier 2 is not open');
    const status = { current: open };
    const responseId = `link:${status.current.ref}`;
    await handle.executeUpdate(customerAnswerUpdate, {
      updateId: responseId,
      args: [
        {
          responseId,
          attemptId: input.attemptId,
          answers: { purpose: 'offer', ref: status.current.ref, nodeId: 'offer' },
          kind: 'accepted',
          channel: 'link',
          note: null,
          actor: null,
        },
      ],
    });
  },
});

const olga = { userId: 'u-olga', role: 'ops_manager', department: null };

SCENARIOS.push({
  // Plan revision 4: the fault branch's escalation climbs its chain on missed SLAs (account manager,
  // head, a named director), each level's task cancelled as the next opens.
  name: 'natural-churn-triage-fault-chain',
  graph: template('natural-churn-triage')!,
  variables: { churn_type: 'fault' },
  async drive(env, handle) {
    await completeOpen(handle, 'not_fixed', { complaint_summary: 'the repair failed twice' }, rep, /^Hear the complaint/);
    await env.sleep('2 days');
    await env.sleep('3 days');
    await completeOpen(handle, 'resolved', { decision_note: 'replaced the unit' }, olga, /^Escalation/);
  },
});

SCENARIOS.push({
  // Plan revision 4: a first-arrival join: the head's visit wins and the offer ladder is ended
  // (its tier withdrawn, its validity timer cancelled).
  name: 'natural-churn-triage-competitive-visit-wins',
  graph: template('natural-churn-triage')!,
  variables: { churn_type: 'competitive' },
  async drive(env, handle) {
    await env.sleep('3 days');
    await completeOpen(handle, 'won_back', { visit_notes: 'the rival could not match our service' }, head, /^Visit the customer/);
  },
});

SCENARIOS.push({
  // Plan revision 4: a credit check writes the credit file and a decision reads credit.rating.
  name: 'natural-churn-triage-malicious-credit-hold',
  graph: template('natural-churn-triage')!,
  variables: { churn_type: 'malicious' },
  async drive(env, handle) {
    await env.sleep('1 day');
    await completeOpen(handle, 'checked', { credit_rating: 'poor', outstanding_balance: 4200, credit_notes: null }, rep, /credit/);
  },
});

SCENARIOS.push({
  // Plan revision 5: joins carry no upstream list, the runtime derives it from the edges. The visit
  // fails first and waits at the all-join while the offer ladder can still arrive; the ladder is
  // declined tier by tier (the last after the head's approval) and the join lets the run end lost.
  name: 'natural-churn-triage-competitive-both-fail',
  graph: template('natural-churn-triage')!,
  variables: { churn_type: 'competitive' },
  async drive(env, handle) {
    await env.sleep('1 day');
    await completeOpen(handle, 'not_won', { visit_notes: 'signed with the rival for a year' }, head, /^Visit the customer/);
    await answer(handle, 'declined');
    await answer(handle, 'declined');
    await completeOpen(handle, 'approved', {}, head, /^Approve offer/);
    await answer(handle, 'declined');
  },
});

// An attempt asleep in a 30-day wait is migrated (through the operate Update) to a version that
// removed the call before the wait and inserted a follow-up after it, then moved from a stuck
// follow-up back to it, and finishes on the new path: operated histories replay too.
SCENARIOS.push({
  name: 'migrated-sleeper-follow-up',
  graph: sleeperV1,
  async drive(env, handle, input) {
    await completeOpen(handle, 'done');
    await env.sleep('10 days');
    const plan = compilePlaybook(sleeperV2).plan!;
    await handle.executeUpdate(operateUpdate, {
      args: [
        {
          operationId: 'replay-migrate',
          actor: ops,
          reason: 'version 2 follows up after the wait',
          operation: { type: 'migrate', to: { playbook: { ...input.playbook, version: 2 }, plan }, mapping: {} },
        },
      ],
    });
    await env.sleep('21 days');
    const { state } = await handle.query(snapshotQuery);
    const [follow] = Object.values(state.steps);
    await handle.executeUpdate(operateUpdate, {
      args: [{ operationId: 'replay-move', actor: ops, reason: 'call again', operation: { type: 'move_step', fromStepId: follow.stepId, toNodeId: 'follow' } }],
    });
    await completeOpen(handle, 'reached');
  },
});

export async function runScenario(env: TestWorkflowEnvironment, scenario: Scenario, taskQueue: string): Promise<WorkflowHandle> {
  const plan = compilePlaybook(scenario.graph).plan;
  if (!plan) throw new Error(`scenario ${scenario.name} does not compile`);
  const input: PlaybookRunInput = {
    attemptId: randomUUID(),
    playbook: { key: scenario.name, version: 1, name: scenario.name },
    plan,
    customer: {
      id: 'C-REPLAY',
      name: 'Replay customer',
      department: 'after_sales',
      grade: 'ordinary',
      value: 1000,
      accountManager: 'u-rita',
      ...scenario.customer,
    },
    startedBy: { userId: 'u-olga', role: 'ops_manager', department: null },
    variables: { account_manager: 'u-rita', ...scenario.variables },
  };
  const handle = await env.client.workflow.start('playbookRun', { taskQueue, workflowId: `recovery/C-REPLAY/${scenario.name}`, args: [input] });
  await scenario.drive(env, handle, input);
  await handle.result();
  return handle;
}
