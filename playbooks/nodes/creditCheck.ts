import { z } from 'zod';
import type { Json } from '../runtime/types';
import { answered, closeCompletedTask, customerDepartment, Duration, joinParts, ms, openTask, str } from './helpers';
import { defineNode } from './types';
import { CREDIT_RATINGS } from './vocabulary';

/**
 * Credit management for malicious churn (customers who leave to escape obligations, e.g. an unpaid
 * balance): a person checks the customer's credit, and the form they fill in is written to the
 * customer's credit file (rating history, outstanding balance, who checked and when). The rating is
 * then the system's `credit.rating`, which a decision branches on like customer.*.
 */
export const CreditCheckConfig = z.object({
  title: z.string().min(1).max(200).default('Check the customer’s credit'),
  instructions: z
    .string()
    .max(4000)
    .default('Look up what the customer still owes us and how they have paid; rate their credit and write down what you checked.'),
  role: z.string().min(1).max(64).default('rep').describe('Who does the check, in the customer’s department.'),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).default('high'),
  sla: Duration.optional().meta({ title: 'SLA', description: 'When the check is due.' }),
});
export type CreditCheckConfig = z.infer<typeof CreditCheckConfig>;

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

export const creditCheckNode = defineNode<CreditCheckConfig>({
  kind: 'credit_check',
  label: 'Credit check',
  description: 'A person checks the customer’s credit; the rating and balance go into the credit file, and decisions read credit.rating.',
  icon: '₵',
  palette: { group: 'People', order: 3, color: '#b45309' },
  starter: { title: 'Check the customer’s credit', role: 'rep', priority: 'high', sla: 'P2D' },
  summary: (c) => joinParts(str(c.role)?.replace(/_/g, ' '), str(c.sla) && `due in ${str(c.sla)}`),
  writes: (_c, node) => [
    ...CREDIT_FORM.map((f) => ({ name: f.key })),
    { name: 'credit.rating', group: 'Credit file', label: `credit.rating (${node.name})` },
    { name: 'credit.outstandingBalance', group: 'Credit file', label: `credit.outstandingBalance (${node.name})` },
    { name: `${node.id}.outcome` },
    { name: `${node.id}.completedBy` },
  ],
  sets: (_config, nodeId) => [...answered(nodeId), 'credit.rating', 'credit.outstandingBalance', 'credit_rating', 'outstanding_balance'],
  config: CreditCheckConfig,
  handles: () => ['checked'],
  waits: true,
  check(config, ctx) {
    if (ctx.directory.roles.includes(config.role)) return [];
    return [{ code: 'unknown_role', message: `role "${config.role}" does not exist`, path: [...ctx.path, 'role'], nodeId: ctx.nodeId }];
  },
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
  describe: (cmd) => ({
    kind: 'credit_checked',
    text: `Credit checked by ${String(cmd.data.checkedBy)}: rating ${String(cmd.data.rating)}, outstanding balance ${String(cmd.data.outstandingBalance)}`,
  }),
});
