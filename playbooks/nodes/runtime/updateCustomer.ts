import type { Json } from '../../runtime/types';
import type { UpdateCustomerConfig } from '../updateCustomer';
import { CHURN_REASONS, CHURN_TYPES, CUSTOMER_STATUSES } from '../vocabulary';
import { defineStep, type StepApi } from './types';
import { resolveValue } from './values';

/** A value taken from the run counts only if it is one the customer file accepts; otherwise the field is left as it is. */
function oneOf(step: StepApi, value: unknown, allowed: readonly string[]): string | null {
  const v: Json | undefined = resolveValue(step, value);
  return typeof v === 'string' && allowed.includes(v) ? v : null;
}

/** A change of the customer file (status, tags, churn type and reason), sent on entering; the step goes straight on. */
export const updateCustomerStep = defineStep<UpdateCustomerConfig>({
  kind: 'update_customer',
  enter(step, config) {
    const reason = config.churnReasonFrom ? step.state.vars[config.churnReasonFrom] : null;
    step.emit({
      type: 'update_customer',
      status: config.status === undefined ? null : oneOf(step, config.status, CUSTOMER_STATUSES),
      addTags: config.addTags,
      removeTags: config.removeTags,
      churnType: config.churnType === undefined ? null : oneOf(step, config.churnType, CHURN_TYPES),
      churnReason: typeof reason === 'string' && (CHURN_REASONS as readonly string[]).includes(reason) ? reason : null,
    });
    step.go('next');
  },
});
