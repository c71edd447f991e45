import type { PlaybookGraph } from '../../playbooks/graph';

const at = { x: 0, y: 0 };
const task = (title: string, outcome: string) => ({ title, assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: outcome, label: title }] });

/**
 * A playbook changed while attempts sleep in it. Version 1: call the customer, wait 30 days, end.
 * Version 2: the call before the wait is gone, a follow-up call after it is new. An attempt asleep
 * in the wait can move (the wait is the same step); one still at the call cannot, unless mapped.
 */
export const sleeperV1: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'call', kind: 'task', position: at, config: task('Call the customer', 'done') },
    { id: 'wait', kind: 'delay', position: at, config: { duration: 'P30D' } },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'next', target: 'end' },
  ],
};

export const sleeperV2: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'delay', position: at, config: { duration: 'P30D' } },
    { id: 'follow', kind: 'task', position: at, config: task('Follow-up call', 'reached') },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'won_back' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'next', target: 'follow' },
    { id: 'e3', source: 'follow', sourceHandle: 'reached', target: 'end' },
  ],
};
