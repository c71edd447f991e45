import type { PlaybookGraph } from '../graph';

/**
 * The smallest useful playbook: a rep calls an at-risk customer back. The articles' first defence
 * is a reminder that someone actually makes the call ("poor follow-up" is a named cause of churn).
 */
export const callBackGraph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Customer flagged at risk', position: { x: 0, y: 120 }, config: { trigger: 'manual', variables: [] } },
    {
      id: 'call_back',
      kind: 'task',
      name: 'Call the customer back',
      position: { x: 260, y: 120 },
      config: {
        title: 'Call the customer back',
        instructions: 'Call, listen, and record why they have not been back. Continue from the last contact in the file.',
        assignee: { type: 'role', role: 'rep', department: 'customer' },
        outcomes: [
          { key: 'reached', label: 'Reached' },
          { key: 'unreachable', label: 'Unreachable' },
        ],
        form: [{ key: 'notes', label: 'What the customer said', type: 'textarea', required: false }],
        priority: 'normal',
        escalation: [],
      },
    },
    {
      id: 'end_reached',
      kind: 'end',
      name: 'Customer reached',
      position: { x: 560, y: 40 },
      config: { outcome: 'retained', reason: 'customer reached by call-back' },
    },
    {
      id: 'end_unreachable',
      kind: 'end',
      name: 'Unreachable',
      position: { x: 560, y: 220 },
      config: { outcome: 'closed', reason: 'customer could not be reached' },
    },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call_back' },
    { id: 'e2', source: 'call_back', sourceHandle: 'reached', target: 'end_reached' },
    { id: 'e3', source: 'call_back', sourceHandle: 'unreachable', target: 'end_unreachable' },
  ],
};
