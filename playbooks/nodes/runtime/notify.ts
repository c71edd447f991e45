import type { Command } from '../../runtime/types';
import type { NotifyConfig } from '../notify';
import { customerDepartment } from './helpers';
import { defineStep, type StepApi } from './types';
import { resolveValue } from './values';

/** A message to the customer or staff, sent on entering; the step goes straight on. */
export const notifyStep = defineStep<NotifyConfig>({
  kind: 'notify',
  enter(step, config) {
    const recipient = recipientOf(step, config.to);
    step.emit({
      type: 'send_message',
      messageKey: step.nextKey('msg'),
      channel: config.channel,
      recipient,
      template: config.template,
      vars: config.vars,
      link: null,
    });
    step.go('next');
  },
});

type Recipient = Extract<Command, { type: 'send_message' }>['recipient'];

function recipientOf(step: StepApi, to: NotifyConfig['to']): Recipient {
  const toPerson = (named: unknown, fallbackRole: string): Recipient =>
    typeof named === 'string' && named ? { kind: 'user', userId: named } : { kind: 'role', role: fallbackRole, department: customerDepartment(step) };
  switch (to.kind) {
    case 'customer':
      return { kind: 'customer' };
    case 'role':
      return { kind: 'role', role: to.role, department: customerDepartment(step) };
    case 'account_manager': {
      // As before revision 4: any text names the manager (kept so older runs send to the same place).
      const manager = step.state.vars.account_manager;
      return typeof manager === 'string' ? { kind: 'user', userId: manager } : { kind: 'role', role: 'rep', department: customerDepartment(step) };
    }
    case 'user':
      return toPerson(resolveValue(step, to.userId), to.fallbackRole);
  }
}
