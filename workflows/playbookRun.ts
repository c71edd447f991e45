import type { PlaybookRunInput, RunOutcome } from './contract';
import { RunDriver } from './runDriver';
import { registerRunMessages } from './runMessages';

/**
 * A recovery attempt, shaped like Temporal's safe-message-handlers sample: the message handlers
 * (`runMessages.ts`) validate requests and enqueue runtime events; the driver (`runDriver.ts`)
 * applies them to the pure runtime one at a time, carries out the commands, persists each
 * transition and hands over to a fresh run when the history grows.
 */
export async function playbookRun(input: PlaybookRunInput): Promise<RunOutcome> {
  // The driver starts the run (or re-arms a resumed run's timers) before any handler can read its state.
  const run = new RunDriver(input);
  registerRunMessages(run);
  return run.drive();
}
