import type { EndConfig } from '../end';
import { defineStep } from './types';

/** The end of the run, with its outcome and reason. */
export const endStep = defineStep<EndConfig>({
  kind: 'end',
  enter(step, config) {
    step.finish(config.outcome, config.reason);
  },
});
