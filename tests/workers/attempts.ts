import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { Command } from '../../playbooks/runtime/types';
import type { AttemptIdentity, PersistTransitionInput } from '../../workflows/activityContract';
import { newCustomer } from '../support/product';
import { publishForTest } from '../support/publish';

/** What the activity tests feed persistTransition directly, without a workflow: attempts, transitions, commands. */
export const DAY = 86_400_000;

/** The smallest published playbook: the attempt rows reference a real version. */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
    { id: 'end', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'retained' } },
  ],
  edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'end' }],
};

/** Publishes a playbook of its own and makes attempts of it, each for a fresh customer. */
export async function attemptMaker(pool: Pool, name: string): Promise<() => Promise<AttemptIdentity>> {
  const playbookKey = `${name}-${randomUUID().slice(0, 8)}`;
  await publishForTest(pool, playbookKey, graph);
  return async () => {
    const customerId = await newCustomer(pool, { department: 'after_sales' });
    return {
      attemptId: randomUUID(),
      workflowId: `recovery/${customerId}/${playbookKey}`,
      customerId,
      playbookKey,
      playbookVersion: 1,
      startedBy: 'u-olga',
      firstRunId: randomUUID(),
    };
  };
}

export const transition = (attempt: AttemptIdentity, n: number, commands: Command[], currentNodeIds: string[] = ['call']): PersistTransitionInput => ({
  attempt,
  transition: n,
  commands,
  currentNodeIds,
  variables: { step: n },
});

export const createTask = (taskKey: string): Command => ({
  type: 'create_task',
  task: {
    taskKey,
    stepId: 's1',
    nodeId: 'call',
    title: 'Call back',
    instructions: '',
    assignee: { role: 'rep', department: 'after_sales', userId: null },
    outcomes: [{ key: 'done', label: 'Done' }],
    form: [],
    dueAt: Date.now() + 2 * DAY,
    priority: 'normal',
  },
});

export const activityOptions = { linkSecret: process.env.LINK_SECRET ?? 'worker-tests-link-secret-0123456789abcdef', publicUrl: 'https://retention.test' };
