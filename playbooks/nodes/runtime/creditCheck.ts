import type { Json } from '../../runtime/types';
import type { CreditCheckConfig } from '../creditCheck';
import { CREDIT_RATINGS } from '../vocabulary';
import { closeCompletedTask, customerDepartment, ms, openTask } from './helpers';
import { defineStep } from './types';

/** The form of a credit check: what the effect writes to the credit file. */
export const CREDIT_FORM = [
  {
    key: 'credit_rating',
    label: 'Credit rating',
    type: 'choice' as const,
    required: true,
    options: CREDIT_RATINGS.map((r) => ({ value: r, label: r[0].toUpperCase() + r.slice(1) })),
  },
  { key: 'outstanding_balance', label: 'Outstanding balance', type: 'money' as const, required: true },
  { key: 'credit_notes', label: 'What you checked (records, payment history, references)', type: 'textarea' as const, required: false },
];

/** A credit check: a task whose form is written to the customer's credit file when it is completed. */
export const creditCheckStep = defineStep<CreditCheckConfig>({
  kind: 'credit_check',
  enter(step, config) {
    step.data.taskKey = openTask(step, {
      title: config.title,
      instructions: config.instructions,
      assignee: { role: config.role, department: customerDepartment(step), userId: null },
      outcomes: [{ key: 'checked', label: 'Checked' }],
      form: CREDIT_FORM,
      dueAt: config.sla ? step.now + ms(config.sla) : null,
      priority: config.priority,
    });
  },
  on(step, _config, event) {
    if (event.type !== 'task_completed' || event.taskKey !== step.data.taskKey) return;
    const rating = event.form.credit_rating;
    const balance = event.form.outstanding_balance;
    const notes = typeof event.form.credit_notes === 'string' ? event.form.credit_notes : null;
    closeCompletedTask(step, event);
    // The workflow's form check makes both required; a simulator's auto-play may leave them out: then nothing is recorded.
    if (typeof rating !== 'string' || !(CREDIT_RATINGS as readonly string[]).includes(rating) || typeof balance !== 'number' || !(balance >= 0)) {
      step.go('checked');
      return;
    }
    // The credit file as the run now knows it: a system object, so decisions read credit.rating from here only.
    const credit: Record<string, Json> = { rating, outstandingBalance: balance, checkedBy: event.actor.userId, checkedAt: event.at };
    step.state.vars = { ...step.state.vars, credit };
    step.emit({
      type: 'record_credit_check',
      checkKey: step.nextKey('credit'),
      nodeId: step.nodeId,
      rating,
      outstandingBalance: balance,
      notes,
      checkedBy: event.actor.userId,
      checkedAt: event.at,
    });
    const line: Record<string, Json> = { rating, outstandingBalance: balance, checkedBy: event.actor.userId };
    step.emit({
      type: 'record',
      recordKey: step.nextKey('record'),
      stepId: step.stepId,
      nodeId: step.nodeId,
      kind: 'credit_check',
      name: 'checked',
      data: line,
    });
    step.go('checked');
  },
});
