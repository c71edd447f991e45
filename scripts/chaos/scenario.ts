import type { PlaybookGraph } from '../../playbooks/graph';

/**
 * The one playbook the campaign publishes, and what each scripted path through it must leave behind.
 * A start variable `path` picks the branch, so every attempt's outcome is decided before it starts.
 */
export const PATHS = ['callback_reached', 'callback_unreachable', 'answer_accepted', 'answer_declined', 'silence', 'escalation'] as const;
export type PathName = (typeof PATHS)[number];

/** How often each path is drawn. */
export const PATH_WEIGHTS: Record<PathName, number> = {
  callback_reached: 22,
  callback_unreachable: 10,
  answer_accepted: 18,
  answer_declined: 10,
  silence: 15,
  escalation: 25,
};

const at = { x: 0, y: 0 };
export const chaosGraph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: { trigger: 'manual', variables: [{ key: 'path', type: 'string', required: true }] } },
    {
      id: 'route',
      kind: 'decision',
      position: at,
      config: {
        rules: [
          { handle: 'callback', when: { var: 'path', op: 'in', value: ['callback_reached', 'callback_unreachable'] } },
          { handle: 'answer', when: { var: 'path', op: 'in', value: ['answer_accepted', 'answer_declined'] } },
          { handle: 'escalation', when: { var: 'path', op: 'eq', value: 'escalation' } },
        ],
      },
    },
    // Callback: a rep's task; reached sends the customer a thank-you.
    {
      id: 'call',
      kind: 'task',
      position: at,
      config: {
        title: 'Call the customer back',
        assignee: { type: 'role', role: 'rep', department: 'customer' },
        outcomes: [
          { key: 'reached', label: 'Reached' },
          { key: 'unreachable', label: 'Unreachable' },
        ],
        form: [{ key: 'notes', label: 'Notes', type: 'textarea', required: false }],
      },
    },
    {
      id: 'thanks',
      kind: 'notify',
      position: at,
      config: { channel: 'sms', to: { kind: 'customer' }, template: 'reminder', vars: { reminder_text: 'thank you for your time' } },
    },
    // Answer: a short timer first, then the customer's answer.
    { id: 'pause', kind: 'delay', position: at, config: { duration: 'PT2S' } },
    { id: 'wait_answer', kind: 'wait_response', position: at, config: { kinds: ['accepted', 'declined'], timeout: 'PT15M' } },
    // Silence: one reminder, then the no-response path.
    { id: 'wait_silence', kind: 'wait_response', position: at, config: { kinds: ['accepted'], timeout: 'PT5S', reminders: [{ after: 'PT2S' }] } },
    // Escalation: the rep's SLA runs out, the head gets an escalation task.
    {
      id: 'sla_task',
      kind: 'task',
      position: at,
      config: {
        title: 'Investigate the complaint',
        assignee: { type: 'role', role: 'rep', department: 'customer' },
        outcomes: [{ key: 'done', label: 'Done' }],
        sla: 'PT3S',
        escalation: [{ role: 'department_head' }],
      },
    },
    { id: 'end_retained', kind: 'end', position: at, config: { outcome: 'retained' } },
    { id: 'end_closed', kind: 'end', position: at, config: { outcome: 'closed' } },
    { id: 'end_won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'end_lost', kind: 'end', position: at, config: { outcome: 'lost' } },
    { id: 'end_silent', kind: 'end', position: at, config: { outcome: 'closed', reason: 'no answer' } },
    { id: 'end_resolved', kind: 'end', position: at, config: { outcome: 'resolved' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'route' },
    { id: 'e2', source: 'route', sourceHandle: 'callback', target: 'call' },
    { id: 'e3', source: 'route', sourceHandle: 'answer', target: 'pause' },
    { id: 'e4', source: 'route', sourceHandle: 'escalation', target: 'sla_task' },
    { id: 'e5', source: 'route', sourceHandle: 'default', target: 'wait_silence' },
    { id: 'e6', source: 'call', sourceHandle: 'reached', target: 'thanks' },
    { id: 'e7', source: 'thanks', sourceHandle: 'next', target: 'end_retained' },
    { id: 'e8', source: 'call', sourceHandle: 'unreachable', target: 'end_closed' },
    { id: 'e9', source: 'pause', sourceHandle: 'next', target: 'wait_answer' },
    { id: 'e10', source: 'wait_answer', sourceHandle: 'accepted', target: 'end_won' },
    { id: 'e11', source: 'wait_answer', sourceHandle: 'declined', target: 'end_lost' },
    { id: 'e12', source: 'wait_answer', sourceHandle: 'no_response', target: 'end_lost' },
    { id: 'e13', source: 'wait_silence', sourceHandle: 'accepted', target: 'end_won' },
    { id: 'e14', source: 'wait_silence', sourceHandle: 'no_response', target: 'end_silent' },
    { id: 'e15', source: 'sla_task', sourceHandle: 'done', target: 'end_resolved' },
  ],
};

/** One task row a path must leave: which node, escalation or not, how it closed and by whom. */
export interface ExpectedTask {
  nodeId: string;
  escalation: boolean;
  status: 'completed' | 'cancelled';
  outcome: string | null;
  completedBy: string | null;
}

export interface Expected {
  outcome: string;
  tasks: ExpectedTask[];
  outbox: number;
  contacts: Record<string, number>;
  audit: Record<string, number>;
}

/**
 * What an attempt on `path` must have produced once it ended; `rep` is the rep who works its tasks.
 * Completing an unclaimed task claims it first (audited once, however often the request is retried).
 */
export function expectedFor(path: PathName, rep: string): Expected {
  switch (path) {
    case 'callback_reached':
      return {
        outcome: 'retained',
        tasks: [{ nodeId: 'call', escalation: false, status: 'completed', outcome: 'reached', completedBy: rep }],
        outbox: 1,
        contacts: { task: 1, message: 1 },
        audit: { run_started: 1, task_claimed: 1, task_completed: 1 },
      };
    case 'callback_unreachable':
      return {
        outcome: 'closed',
        tasks: [{ nodeId: 'call', escalation: false, status: 'completed', outcome: 'unreachable', completedBy: rep }],
        outbox: 0,
        contacts: { task: 1 },
        audit: { run_started: 1, task_claimed: 1, task_completed: 1 },
      };
    case 'answer_accepted':
      return { outcome: 'won_back', tasks: [], outbox: 0, contacts: { answer: 1 }, audit: { run_started: 1, customer_response_recorded: 1 } };
    case 'answer_declined':
      return { outcome: 'lost', tasks: [], outbox: 0, contacts: { answer: 1 }, audit: { run_started: 1, customer_response_recorded: 1 } };
    case 'silence':
      return { outcome: 'closed', tasks: [], outbox: 1, contacts: { message: 1 }, audit: { run_started: 1 } };
    case 'escalation':
      return {
        outcome: 'resolved',
        tasks: [
          { nodeId: 'sla_task', escalation: false, status: 'completed', outcome: 'done', completedBy: rep },
          { nodeId: 'sla_task', escalation: true, status: 'completed', outcome: 'handled', completedBy: 'u-hana' },
        ],
        outbox: 0,
        contacts: { task: 2 },
        audit: { run_started: 1, task_claimed: 2, task_completed: 2 },
      };
  }
}
