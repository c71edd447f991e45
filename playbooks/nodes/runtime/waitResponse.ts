import type { WaitResponseConfig } from '../waitResponse';
import { ms, sendToCustomer, startTimer } from './helpers';
import { defineStep } from './types';

/** A wait for the customer's answer: reminders on their timers, "no response" at the timeout. */
export const waitResponseStep = defineStep<WaitResponseConfig>({
  kind: 'wait_response',
  enter(step, config) {
    step.data.timeoutKey = startTimer(step, ms(config.timeout), 'response_timeout');
    step.data.reminderKeys = config.reminders.map((r) => startTimer(step, ms(r.after), 'reminder'));
  },
  on(step, config, event) {
    if (event.type === 'customer_responded') {
      if (config.kinds.includes(event.kind)) step.go(event.kind);
      return;
    }
    if (event.type !== 'timer_fired') return;
    if (event.timerKey === step.data.timeoutKey) {
      step.go('no_response');
      return;
    }
    const index = (step.data.reminderKeys as string[]).indexOf(event.timerKey);
    const reminder = config.reminders[index];
    if (reminder) sendToCustomer(step, reminder.channel, reminder.template, { reminder_text: config.reminderText });
  },
});
