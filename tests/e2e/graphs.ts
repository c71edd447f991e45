import type { PlaybookGraph } from '../../playbooks/graph';

const rep = { type: 'role', role: 'rep', department: 'customer' };

/** Two rep tasks in a row: the call-back, then (if reached) the offer. */
export function twoStepGraph(): PlaybookGraph {
  return {
    nodes: [
      { id: 'start', kind: 'start', name: 'Flagged at risk', position: { x: 0, y: 120 }, config: { trigger: 'manual', variables: [] } },
      {
        id: 'call_back',
        kind: 'task',
        name: 'Call back',
        position: { x: 260, y: 120 },
        config: {
          title: 'Call back about the service complaint',
          instructions: 'Call the customer, listen, and record why they stopped coming.',
          assignee: rep,
          outcomes: [
            { key: 'reached', label: 'Reached' },
            { key: 'unreachable', label: 'Unreachable' },
          ],
          form: [
            {
              key: 'reason',
              label: 'Why they left',
              type: 'choice',
              required: true,
              options: ['A', 'B', 'C', 'D'].map((v) => ({ value: v, label: `Reason ${v}` })),
            },
            { key: 'said', label: 'What the customer said', type: 'textarea', required: true },
            { key: 'discount', label: 'Discount offered', type: 'money', required: false },
          ],
          priority: 'high',
          sla: 'P2D',
          escalation: [],
        },
      },
      {
        id: 'offer',
        kind: 'task',
        name: 'Offer',
        position: { x: 520, y: 40 },
        config: {
          title: 'Send the tailored win-back offer',
          instructions: 'Send the offer agreed on the call.',
          assignee: rep,
          outcomes: [{ key: 'sent', label: 'Sent' }],
          form: [],
          priority: 'normal',
          escalation: [],
        },
      },
      { id: 'end_won', kind: 'end', name: 'Offer sent', position: { x: 780, y: 40 }, config: { outcome: 'retained', reason: 'offer sent' } },
      { id: 'end_lost', kind: 'end', name: 'Unreachable', position: { x: 520, y: 220 }, config: { outcome: 'closed', reason: 'unreachable' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call_back' },
      { id: 'e2', source: 'call_back', sourceHandle: 'reached', target: 'offer' },
      { id: 'e3', source: 'call_back', sourceHandle: 'unreachable', target: 'end_lost' },
      { id: 'e4', source: 'offer', sourceHandle: 'sent', target: 'end_won' },
    ],
  } as PlaybookGraph;
}

/** One rep task with a 2-second SLA that escalates to the department head. */
export function escalatingGraph(): PlaybookGraph {
  return {
    nodes: [
      { id: 'start', kind: 'start', name: 'Complaint received', position: { x: 0, y: 120 }, config: { trigger: 'manual', variables: [] } },
      {
        id: 'respond',
        kind: 'task',
        name: 'Respond',
        position: { x: 260, y: 120 },
        config: {
          title: 'Respond to the complaint',
          instructions: 'Listen, record the complaint and say when it will be fixed.',
          assignee: rep,
          outcomes: [{ key: 'resolved', label: 'Resolved' }],
          form: [],
          priority: 'urgent',
          sla: 'PT2S',
          escalation: [{ role: 'department_head' }],
        },
      },
      { id: 'end', kind: 'end', name: 'Resolved', position: { x: 520, y: 120 }, config: { outcome: 'retained', reason: 'complaint resolved' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'respond' },
      { id: 'e2', source: 'respond', sourceHandle: 'resolved', target: 'end' },
    ],
  } as PlaybookGraph;
}
