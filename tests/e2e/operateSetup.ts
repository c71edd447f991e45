import type { PlaybookGraph } from '../../playbooks/graph';
import type { OperateAttempt } from '../../contract/operate';
import { eventually, newCustomer, type Product } from '../support/product';

/**
 * The playbooks and attempts the operate e2e works on. Version 1: call the customer, wait a month,
 * end. Version 2: the call is gone, a follow-up call after the wait is new, so an attempt still at
 * the call must be mapped before it can move. The poison playbook's first task is titled "Poison",
 * which the test's CHECK constraint makes PostgreSQL refuse: an incident.
 */
const at = (x: number) => ({ x, y: 100 });
const rep = { type: 'role', role: 'rep' };
const task = (id: string, name: string, title: string, outcome: string, x: number) => ({
  id,
  kind: 'task',
  name,
  position: at(x),
  config: { title, assignee: rep, outcomes: [{ key: outcome, label: name }] },
});

export const operateV1: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged at risk', position: at(0), config: {} },
    task('call', 'Call the customer', 'Call about the lapsed plan', 'done', 240),
    { id: 'wait', kind: 'delay', name: 'Wait a month', position: at(480), config: { duration: 'P30D' } },
    { id: 'end', kind: 'end', name: 'Retained', position: at(720), config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'next', target: 'end' },
  ],
} as PlaybookGraph;

export const operateV2: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged at risk', position: at(0), config: {} },
    { id: 'wait', kind: 'delay', name: 'Wait a month', position: at(240), config: { duration: 'P30D' } },
    task('follow', 'Follow-up call', 'Ask how the plan works out', 'reached', 480),
    { id: 'end', kind: 'end', name: 'Won back', position: at(720), config: { outcome: 'won_back' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'next', target: 'follow' },
    { id: 'e3', source: 'follow', sourceHandle: 'reached', target: 'end' },
  ],
} as PlaybookGraph;

export const poisonGraph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged at risk', position: at(0), config: {} },
    task('poison', 'Poisoned call', 'Poison', 'done', 240),
    { id: 'end', kind: 'end', name: 'Retained', position: at(480), config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'poison' },
    { id: 'e2', source: 'poison', sourceHandle: 'done', target: 'end' },
  ],
} as PlaybookGraph;

export async function publish(product: Product, token: string, key: string, name: string, graph: PlaybookGraph): Promise<void> {
  const saved = await product.api<{ problems: unknown[] }>('PUT', `/api/playbooks/${key}/draft`, { token, body: { name, graph } });
  if (saved.status !== 200 || saved.body.problems.length > 0) throw new Error(`draft of ${key}: ${saved.status} ${JSON.stringify(saved.body)}`);
  const published = await product.api('POST', `/api/playbooks/${key}/publish`, { token });
  if (published.status !== 201) throw new Error(`publish ${key}: ${published.status} ${JSON.stringify(published.body)}`);
}

export async function startAttempt(product: Product, token: string, key: string, customerName: string): Promise<string> {
  const customerId = await newCustomer(product.pool, { department: 'after_sales' });
  await product.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [customerId, customerName]);
  const res = await product.api<{ id: string }>('POST', '/api/runs', { token, body: { playbookKey: key, customerId } });
  if (res.status !== 201) throw new Error(`start ${key}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** The attempt's row in the operator's list once the worker stored what it waits for at `nodeId`. */
export function waitingAt(product: Product, token: string, key: string, attemptId: string, nodeId: string): Promise<OperateAttempt> {
  return eventually(
    async () =>
      (await product.api<{ attempts: OperateAttempt[] }>('GET', `/api/operate/attempts?playbook=${key}&limit=500`, { token })).body.attempts.find(
        (a) => a.id === attemptId && a.waits.some((w) => w.nodeId === nodeId),
      ),
    30_000,
    `attempt waiting at ${nodeId}`,
  );
}
