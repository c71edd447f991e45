import { parseDuration } from '../../duration';
import type { DelayConfig } from '../delay';
import { defineStep } from './types';

/** A fixed wait: one timer, then on. */
export const delayStep = defineStep<DelayConfig>({
  kind: 'delay',
  enter(step, config) {
    const timerKey = step.nextKey('timer');
    const durationMs = parseDuration(config.duration)!;
    step.data.timerKey = timerKey;
    step.state.timers[timerKey] = { stepId: step.stepId, firesAt: step.now + durationMs, purpose: 'delay' };
    step.emit({ type: 'start_timer', timerKey, durationMs, purpose: 'delay' });
  },
  on(step, _config, event) {
    if (event.type === 'timer_fired' && event.timerKey === step.data.timerKey) step.go('next');
  },
});
