import type { PlaybookGraph } from '../graph';
import { edges } from './edges';

const rep = { type: 'role', role: 'rep', department: 'customer' } as const;
/** Every rep step has an SLA; a miss puts an urgent escalation task in the head's queue. */
const toHead = [{ role: 'department_head' }];

/**
 * Complaint response, as the articles describe it: listen promptly and make the customer feel
 * heard; record the complaint; investigate whether it is true; fix it; report the solution and its
 * result back and invite the customer to keep watching; escalate to the head of department if the
 * customer is still unhappy; close with who handled it, when and what was done.
 */
export const complaintResponseGraph: PlaybookGraph = {
  nodes: [
    {
      id: 'start',
      kind: 'start',
      name: 'Complaint received',
      position: { x: 0, y: 200 },
      // A complaint recorded as customer activity starts it through the complaint rule (or by hand).
      config: { trigger: 'event', triggerKey: 'customer.complaint', variables: [] },
    },
    {
      id: 'acknowledge',
      kind: 'task',
      name: 'Acknowledge within 4 hours',
      position: { x: 260, y: 200 },
      config: {
        title: 'Acknowledge the complaint',
        instructions:
          'Contact the customer within 4 hours. Listen, let them finish, and make them feel heard. Do not argue or promise what you cannot keep. You are the handler from now on.',
        assignee: rep,
        outcomes: [{ key: 'acknowledged', label: 'Acknowledged' }],
        form: [{ key: 'handler', label: 'Handler (your name, as the customer will see it)', type: 'text', required: true }],
        priority: 'high',
        sla: 'PT4H',
        escalation: toHead,
      },
    },
    {
      id: 'notify_ack',
      kind: 'notify',
      name: 'Confirm to the customer',
      position: { x: 520, y: 200 },
      config: { channel: 'sms', to: { kind: 'customer' }, template: 'complaint_ack', vars: { handler: '{{handler}}' } },
    },
    {
      id: 'record',
      kind: 'task',
      name: 'Record the complaint',
      position: { x: 780, y: 200 },
      config: {
        title: 'Record the complaint',
        instructions:
          "Write down what happened in the customer's own words, what they expect from us, and when it happened, so whoever picks this up next continues seamlessly.",
        assignee: rep,
        outcomes: [{ key: 'recorded', label: 'Recorded' }],
        form: [
          { key: 'complaint_summary', label: 'What the customer complains about', type: 'textarea', required: true },
          {
            key: 'complaint_category',
            label: 'Category',
            type: 'choice',
            required: true,
            options: [
              { value: 'product', label: 'Product quality' },
              { value: 'service', label: 'Service' },
              { value: 'staff', label: 'Staff attitude' },
              { value: 'price', label: 'Price or billing' },
              { value: 'other', label: 'Other' },
            ],
          },
          { key: 'customer_expectation', label: 'What the customer expects from us', type: 'textarea', required: false },
        ],
        priority: 'high',
        sla: 'P1D',
        escalation: toHead,
      },
    },
    {
      id: 'investigate',
      kind: 'task',
      name: 'Investigate: is it true?',
      position: { x: 1040, y: 200 },
      config: {
        title: 'Investigate the complaint',
        instructions: 'Check the records and talk to the staff involved. Decide whether the complaint is founded, and write down what you found.',
        assignee: rep,
        outcomes: [
          { key: 'founded', label: 'Founded' },
          { key: 'unfounded', label: 'Unfounded' },
        ],
        form: [{ key: 'findings', label: 'What the investigation found', type: 'textarea', required: true }],
        priority: 'high',
        sla: 'P3D',
        escalation: toHead,
      },
    },
    {
      id: 'fix',
      kind: 'task',
      name: 'Fix the problem',
      position: { x: 1300, y: 100 },
      config: {
        title: 'Fix the problem',
        instructions: 'Decide on a fix and carry it out. Write down what was done, in words the customer will read.',
        assignee: rep,
        outcomes: [{ key: 'fixed', label: 'Fixed' }],
        form: [
          { key: 'solution', label: 'What was done (sent to the customer)', type: 'textarea', required: true },
          { key: 'internal_cause', label: 'Internal cause (for the failure audit)', type: 'textarea', required: false },
        ],
        priority: 'high',
        sla: 'P5D',
        escalation: toHead,
      },
    },
    {
      id: 'explain',
      kind: 'task',
      name: 'Prepare the explanation',
      position: { x: 1300, y: 300 },
      config: {
        title: 'Prepare an explanation of the findings',
        instructions: 'The complaint was not founded. Explain what we checked and what we found, respectfully; offer to go through it with the customer.',
        assignee: rep,
        outcomes: [{ key: 'explained', label: 'Explanation ready' }],
        form: [{ key: 'solution', label: 'What we found (sent to the customer)', type: 'textarea', required: true }],
        priority: 'normal',
        sla: 'P2D',
        escalation: toHead,
      },
    },
    {
      id: 'report',
      kind: 'notify',
      name: 'Report the solution back',
      position: { x: 1560, y: 200 },
      config: { channel: 'email', to: { kind: 'customer' }, template: 'solution_report', vars: { solution: '{{solution}}' } },
    },
    {
      id: 'verdict',
      kind: 'wait_response',
      name: "Wait for the customer's verdict",
      position: { x: 1820, y: 200 },
      config: {
        kinds: ['satisfied', 'unsatisfied'],
        timeout: 'P14D',
        reminders: [{ after: 'P7D', template: 'reminder', channel: 'sms' }],
        reminderText: 'is the problem you reported solved? Tell us either way.',
      },
    },
    {
      id: 'follow_up',
      kind: 'task',
      name: 'Call for the verdict',
      position: { x: 2080, y: 360 },
      config: {
        title: 'Call the customer: is the complaint resolved?',
        instructions: 'The customer has not answered the report for two weeks. Call and ask whether the problem is solved and whether they are satisfied.',
        assignee: rep,
        outcomes: [
          { key: 'satisfied', label: 'Satisfied' },
          { key: 'unsatisfied', label: 'Still unhappy' },
        ],
        form: [{ key: 'follow_up_notes', label: 'What the customer said', type: 'textarea', required: false }],
        priority: 'normal',
        sla: 'P2D',
        escalation: toHead,
      },
    },
    {
      id: 'escalate_unhappy',
      kind: 'escalate',
      name: 'Escalate to the head',
      position: { x: 2340, y: 460 },
      config: {
        role: 'department_head',
        priority: 'urgent',
        reason: 'Customer still unhappy after the complaint was handled',
        instructions: 'The customer is not satisfied with the fix. Contact them yourself, decide what more we do, and record it.',
        outcomes: [
          { key: 'resolved', label: 'Resolved' },
          { key: 'not_resolved', label: 'Not resolved' },
        ],
        sla: 'P2D',
      },
    },
    {
      id: 'close',
      kind: 'task',
      name: 'Close the complaint file',
      position: { x: 2600, y: 120 },
      config: {
        title: 'Close the complaint file',
        instructions:
          'Record what was finally done and thank the customer for telling us. The handler, closing date and details are kept for performance reviews and the failure audit.',
        assignee: rep,
        outcomes: [{ key: 'closed', label: 'Closed' }],
        form: [{ key: 'closing_details', label: 'What was done, in short', type: 'textarea', required: true }],
        priority: 'normal',
        sla: 'P2D',
        escalation: toHead,
      },
    },
    { id: 'mark_retained', kind: 'update_customer', name: 'Mark retained', position: { x: 2860, y: 120 }, config: { status: 'retained' } },
    {
      id: 'end_resolved',
      kind: 'end',
      name: 'Resolved',
      position: { x: 3120, y: 120 },
      config: { outcome: 'resolved', reason: 'complaint resolved and closed; handler, closing date and details in the close-out form' },
    },
    { id: 'mark_lost', kind: 'update_customer', name: 'Mark lost', position: { x: 2600, y: 460 }, config: { status: 'lost', churnType: 'fault' } },
    {
      id: 'end_lost',
      kind: 'end',
      name: 'Not resolved',
      position: { x: 2860, y: 460 },
      config: { outcome: 'lost', reason: 'the head of department could not resolve the complaint' },
    },
  ],
  edges: edges([
    ['start', 'next', 'acknowledge'],
    ['acknowledge', 'acknowledged', 'notify_ack'],
    ['notify_ack', 'next', 'record'],
    ['record', 'recorded', 'investigate'],
    ['investigate', 'founded', 'fix'],
    ['investigate', 'unfounded', 'explain'],
    ['fix', 'fixed', 'report'],
    ['explain', 'explained', 'report'],
    ['report', 'next', 'verdict'],
    ['verdict', 'satisfied', 'close'],
    ['verdict', 'unsatisfied', 'escalate_unhappy'],
    ['verdict', 'no_response', 'follow_up'],
    ['follow_up', 'satisfied', 'close'],
    ['follow_up', 'unsatisfied', 'escalate_unhappy'],
    ['escalate_unhappy', 'resolved', 'close'],
    ['escalate_unhappy', 'not_resolved', 'mark_lost'],
    ['close', 'closed', 'mark_retained'],
    ['mark_retained', 'next', 'end_resolved'],
    ['mark_lost', 'next', 'end_lost'],
  ]),
};
