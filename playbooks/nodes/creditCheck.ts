import { z } from 'zod';
import { answered, Duration, joinParts, str } from './helpers';
import { CREDIT_FORM, creditCheckStep } from './runtime/creditCheck';
import { defineNode } from './types';

export { CREDIT_FORM } from './runtime/creditCheck';

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

export const creditCheckNode = defineNode<CreditCheckConfig>({
  ...creditCheckStep,
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
  describe: (cmd) => ({
    kind: 'credit_checked',
    text: `Credit checked by ${String(cmd.data.checkedBy)}: rating ${String(cmd.data.rating)}, outstanding balance ${String(cmd.data.outstandingBalance)}`,
  }),
});
