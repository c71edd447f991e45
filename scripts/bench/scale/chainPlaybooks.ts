import type { PlaybookGraph } from '../../../playbooks/graph';

/**
 * The five task-free steps that the interpreter and the hand-written workflow both run: five
 * messages to the customer from one template, either 1 s apart (a Wait between two messages) or
 * back to back. Shared by the interpreter's graph and the hand-written workflow, so both send the
 * same messages.
 */
export const CHAIN_STEPS = 5;
export const CHAIN_TEMPLATE = 'reminder';
export const CHAIN_PAUSE = 'PT1S';

const at = { x: 0, y: 0 };

/** start → message 1 → (wait 1 s → message 2) … → message 5 → end; without timers, no waits. */
export function chainGraph(withTimers: boolean): PlaybookGraph {
  const nodes: PlaybookGraph['nodes'] = [{ id: 'start', kind: 'start', position: at, config: {} }];
  const order: string[] = ['start'];
  for (let i = 1; i <= CHAIN_STEPS; i++) {
    if (withTimers && i > 1) {
      nodes.push({ id: `pause${i}`, kind: 'delay', position: at, config: { duration: CHAIN_PAUSE } });
      order.push(`pause${i}`);
    }
    nodes.push({
      id: `message${i}`,
      kind: 'notify',
      position: at,
      config: { channel: 'email', to: { kind: 'customer' }, template: CHAIN_TEMPLATE, vars: { reminder_text: `step ${i}` } },
    });
    order.push(`message${i}`);
  }
  nodes.push({ id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } });
  order.push('end');
  const edges = order.slice(1).map((target, i) => ({ id: `e${i + 1}`, source: order[i], sourceHandle: 'next', target }));
  return { nodes, edges };
}
