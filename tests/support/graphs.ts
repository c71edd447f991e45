import type { PlaybookGraph } from '../../playbooks/graph';

const at = { x: 0, y: 0 };

/** A call-back task, then a one-day pause, then the end: the smallest plan with a task and a timer. */
export const callThenPause: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'call', kind: 'task', position: at, config: { title: 'Call', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }] } },
    { id: 'pause', kind: 'delay', position: at, config: { duration: 'P1D' } },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'pause' },
    { id: 'e3', source: 'pause', sourceHandle: 'next', target: 'end' },
  ],
};
