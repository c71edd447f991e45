import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities, AttemptIdentity } from '../../../workflows/activityContract';
import type { Command, Json } from '../../../playbooks/runtime/types';
import type { StepWait } from '../../../playbooks/runtime/waits';
import { CHAIN_STEPS, CHAIN_TEMPLATE } from './chainPlaybooks';

/**
 * The interpreter's yardstick (bench:scale, bundled on its own): the five messages of
 * chainPlaybooks.ts written out by hand, with the same persistence activity, the same commands in
 * each call (so PostgreSQL does the same work: the step log, the outbox, the attempt row) and the
 * same 1 s timers, but no plan in its input, no runtime, no search-attribute upserts. It stores a
 * transition wherever the interpreter does: after each message when a timer follows, once for the
 * whole chain without timers.
 */
const { persistTransition } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export interface HandWrittenInput {
  attempt: Omit<AttemptIdentity, 'workflowId' | 'firstRunId'>;
  customer: Record<string, Json>;
  withTimers: boolean;
}

const PAUSE_MS = 1000;

export async function handWrittenChain(input: HandWrittenInput): Promise<{ outcome: string }> {
  const info = workflowInfo();
  const attempt: AttemptIdentity = { ...input.attempt, workflowId: info.workflowId, firstRunId: info.firstExecutionRunId };
  const variables = { customer: input.customer };
  let seq = 0;
  let transition = 0;
  let commands: Command[] = [];
  const enter = (nodeId: string, kind: string) => {
    const stepId = `s${++seq}`;
    commands.push({ type: 'step_entered', stepId, nodeId, kind });
    return stepId;
  };
  const store = async (currentNodeIds: string[], waits: StepWait[]) => {
    await persistTransition({ attempt, transition: ++transition, commands, currentNodeIds, variables, waits });
    commands = [];
  };

  commands.push({ type: 'step_left', stepId: enter('start', 'start'), nodeId: 'start', handle: 'next' });
  for (let i = 1; i <= CHAIN_STEPS; i++) {
    const nodeId = `message${i}`;
    const stepId = enter(nodeId, 'notify');
    commands.push({
      type: 'send_message',
      messageKey: `msg-${++seq}`,
      channel: 'email',
      recipient: { kind: 'customer' },
      template: CHAIN_TEMPLATE,
      vars: { reminder_text: `step ${i}` },
      link: null,
    });
    commands.push({ type: 'step_left', stepId, nodeId, handle: 'next' });
    if (input.withTimers && i < CHAIN_STEPS) {
      const pause = `pause${i + 1}`;
      const pauseStep = enter(pause, 'delay');
      seq++; // the interpreter's timer key takes a number too, so message keys match its own
      const since = Date.now();
      await store(
        [pause],
        [
          {
            stepId: pauseStep,
            nodeId: pause,
            name: pause,
            kind: 'delay',
            since,
            tasks: [],
            timers: [{ purpose: 'delay', firesAt: since + PAUSE_MS }],
            answer: null,
          },
        ],
      );
      await sleep(PAUSE_MS);
      commands.push({ type: 'step_left', stepId: pauseStep, nodeId: pause, handle: 'next' });
    }
  }
  const endStep = enter('end', 'end');
  commands.push({ type: 'step_left', stepId: endStep, nodeId: 'end', handle: null });
  commands.push({ type: 'complete_run', outcome: 'retained', reason: null });
  await store([], []);
  return { outcome: 'retained' };
}
