import { z } from 'zod';
import { defineNode } from './types';
import { joinParts, str } from './helpers';

export const CUSTOMER_STATUSES = ['at_risk', 'pre_churn', 'churned', 'won_back', 'retained', 'lost'] as const;
export const CHURN_TYPES = ['natural', 'malicious', 'competitive', 'fault'] as const;
export const CHURN_REASONS = ['A', 'B', 'C', 'D'] as const;

export const UpdateCustomerConfig = z.object({
  status: z.enum(CUSTOMER_STATUSES).optional(),
  addTags: z.array(z.string().min(1).max(50)).max(50).default([]).meta({ title: 'Add tags' }),
  removeTags: z.array(z.string().min(1).max(50)).max(50).default([]).meta({ title: 'Remove tags' }),
  churnType: z.enum(CHURN_TYPES).optional(),
  /** Copy the churn reason (A–D) recorded by a task's form into the customer file. */
  churnReasonFrom: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ title: 'Churn reason from', description: 'The task form field that recorded the reason (A–D).' }),
});
export type UpdateCustomerConfig = z.infer<typeof UpdateCustomerConfig>;

export const updateCustomerNode = defineNode<UpdateCustomerConfig>({
  kind: 'update_customer',
  label: 'Update customer',
  description: "Set the customer's status (at risk, pre-churn, won back...), tags, churn type and reason.",
  icon: '✎',
  palette: { group: 'Customer', order: 5, color: '#0d9488' },
  starter: { addTags: [], removeTags: [] },
  summary: (c) => joinParts(str(c.status) && `status ${str(c.status)}`, Array.isArray(c.addTags) && c.addTags.length ? `+${c.addTags.join(', +')}` : undefined),
  reads: (config, path) => (config.churnReasonFrom !== undefined ? [{ name: config.churnReasonFrom, path: [...path, 'churnReasonFrom'] }] : []),
  config: UpdateCustomerConfig,
  handles: () => ['next'],
  waits: false,
  enter(step, config) {
    const reason = config.churnReasonFrom ? step.state.vars[config.churnReasonFrom] : null;
    step.emit({
      type: 'update_customer',
      status: config.status ?? null,
      addTags: config.addTags,
      removeTags: config.removeTags,
      churnType: config.churnType ?? null,
      churnReason: typeof reason === 'string' && (CHURN_REASONS as readonly string[]).includes(reason) ? reason : null,
    });
    step.go('next');
  },
});
