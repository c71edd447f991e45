import { z } from 'zod';
import { defineNode } from './types';
import { joinParts, str } from './helpers';
import { updateCustomerStep } from './runtime/updateCustomer';
import { orFromVariable, valueReads, valueText } from './valueSource';
import { CHURN_REASONS, CHURN_TYPES, CUSTOMER_STATUSES } from './vocabulary';

export { CHURN_REASONS, CHURN_TYPES, CUSTOMER_STATUSES };

export const UpdateCustomerConfig = z.object({
  status: orFromVariable(z.enum(CUSTOMER_STATUSES)).optional().describe('A status, or the run variable that holds one.'),
  addTags: z.array(z.string().min(1).max(50)).max(50).default([]).meta({ title: 'Add tags' }),
  removeTags: z.array(z.string().min(1).max(50)).max(50).default([]).meta({ title: 'Remove tags' }),
  churnType: orFromVariable(z.enum(CHURN_TYPES))
    .optional()
    .meta({ title: 'Churn type', description: 'natural, malicious, competitive or fault; or the run variable that holds the type decided.' }),
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
  ...updateCustomerStep,
  label: 'Update customer',
  description: "Set the customer's status (at risk, pre-churn, won back...), tags, churn type and reason, as fixed values or from run variables.",
  icon: '✎',
  palette: { group: 'Customer', order: 5, color: '#0d9488' },
  starter: { addTags: [], removeTags: [] },
  summary: (c) =>
    joinParts(
      valueText(c.status) && `status ${valueText(c.status)}`,
      valueText(c.churnType) && `churn type ${valueText(c.churnType)}`,
      Array.isArray(c.addTags) && c.addTags.length ? `+${c.addTags.join(', +')}` : undefined,
      str(c.churnReasonFrom) && `reason from ${str(c.churnReasonFrom)}`,
    ),
  reads: (config, path) => [
    ...valueReads(config.status, [...path, 'status']),
    ...valueReads(config.churnType, [...path, 'churnType']),
    ...(config.churnReasonFrom !== undefined ? [{ name: config.churnReasonFrom, path: [...path, 'churnReasonFrom'] }] : []),
  ],
  config: UpdateCustomerConfig,
  handles: () => ['next'],
  waits: false,
});
