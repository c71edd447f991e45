import { z } from 'zod';
import { Timestamp } from './common';
import { Customer } from './customers';

/** Customer activity from other systems and the customer attributes people edit (server/routes/activity.ts, customerAttributes.ts). */
export const ACTIVITY_KINDS = ['visit', 'service', 'order', 'payment', 'complaint', 'contact'] as const;
export const ActivityKind = z.enum(ACTIVITY_KINDS);

const Key = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const ActivityBody = z.object({
  kind: ActivityKind,
  /** The reporting system; with externalId it makes the report idempotent. */
  source: Key.max(100).default('api'),
  externalId: Key,
  occurredAt: z.iso.datetime({ offset: true }),
  amount: z.number().min(-1e12).max(1e12).nullable().default(null),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
    .nullable()
    .default(null),
  details: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).default({}),
});
export type ActivityBody = z.infer<typeof ActivityBody>;

export const GRADES = ['core', 'high_potential', 'ordinary', 'churn_signs'] as const;
export const CHURN_TYPES = ['natural', 'malicious', 'competitive', 'fault'] as const;
export const CHURN_REASONS = ['A', 'B', 'C', 'D'] as const;
export const CUSTOMER_STATUSES = ['active', 'at_risk', 'pre_churn', 'churned', 'won_back', 'retained', 'lost'] as const;

export const CustomerAttributesBody = z
  .object({
    grade: z.enum(GRADES),
    value: z.number().min(0).max(1e12),
    churnType: z.enum(CHURN_TYPES).nullable(),
    churnReason: z.enum(CHURN_REASONS).nullable(),
    expectedVisitDays: z.number().int().min(1).max(3650).nullable(),
    customerSince: z.iso.date().nullable(),
    department: z.string().min(1).max(64).nullable(),
    accountManager: z.string().min(1).max(100).nullable(),
    status: z.enum(CUSTOMER_STATUSES),
    /** Why (kept in the audit row and, for a status change, in the history's evidence). */
    note: z.string().max(1000),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'note'), { message: 'name at least one attribute to change', path: [] });
export type CustomerAttributesBody = z.infer<typeof CustomerAttributesBody>;

export const ActivityView = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: ActivityKind,
  source: z.string(),
  externalId: z.string(),
  occurredAt: Timestamp,
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  recordedBy: z.string().nullable(),
  recordedAt: Timestamp,
});
/** The recorded activity, and the evaluation a complaint started (its workflow id), if any. */
export const ActivityRecorded = ActivityView.extend({ evaluation: z.string().nullable() });
export const ActivityList = z.object({ activity: z.array(ActivityView) });
export const CustomerAttributes = Customer.extend({
  expectedVisitDays: z.number().int().nullable(),
  customerSince: z.iso.date().nullable(),
  statusChangedAt: Timestamp.nullable(),
});
export const StatusHistory = z.object({
  history: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      rule: z.string(),
      ruleVersion: z.number().int().nullable(),
      evidence: z.record(z.string(), z.unknown()),
      attemptId: z.string().nullable(),
      changedBy: z.string().nullable(),
      at: Timestamp,
    }),
  ),
});
