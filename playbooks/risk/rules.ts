import { z } from 'zod';

/**
 * The at-risk rules as ops managers configure them (the seeds' signals: the red line, periodic
 * business, declining orders, a complaint). Stored as JSON in risk_rule_draft / risk_rule_versions
 * and read by the evaluation, the dry run and the editor, so the schema is the one contract.
 */
const Days = z.number().int().min(1).max(3650);
const GRADES = ['core', 'high_potential', 'ordinary', 'churn_signs'] as const;

export const RedLineRule = z.object({
  enabled: z.boolean().default(true),
  /** Not seen (no visit, service, order or payment) for longer than this many days: at risk. */
  days: Days.default(120),
  /** A shorter (or longer) line for a grade: core customers are looked at sooner. */
  byGrade: z.partialRecord(z.enum(GRADES), Days).default({}),
  /** A line per department; it wins over the grade's. */
  byDepartment: z.record(z.string().min(1).max(64), Days).default({}),
});

export const PeriodicBusinessRule = z.object({
  enabled: z.boolean().default(true),
  /** Missed regular visits (from each customer's expected_visit_days) that make them pre-churn… */
  preChurnAfterMissed: z.number().int().min(1).max(24).default(2),
  /** …and churned. */
  churnedAfterMissed: z.number().int().min(1).max(36).default(3),
});

export const DecliningOrdersRule = z.object({
  enabled: z.boolean().default(true),
  /** Only customers of at least this many years. */
  minYears: z.number().min(0).max(100).default(3),
  /** No order for this many months (30 days each)… */
  noOrderMonths: z.number().int().min(1).max(120).default(3),
  /** …or spend in the last 90 days down by at least this percentage on the 90 days before. */
  spendDropPercent: z.number().min(1).max(100).default(50),
  to: z.enum(['at_risk', 'pre_churn']).default('pre_churn'),
});

export const ComplaintRule = z.object({
  enabled: z.boolean().default(true),
  /** A complaint within this many days makes the customer at risk. */
  withinDays: Days.default(30),
});

export const RiskRules = z
  .object({
    redLine: RedLineRule.default(RedLineRule.parse({})),
    periodicBusiness: PeriodicBusinessRule.default(PeriodicBusinessRule.parse({})),
    decliningOrders: DecliningOrdersRule.default(DecliningOrdersRule.parse({})),
    complaint: ComplaintRule.default(ComplaintRule.parse({})),
  })
  .superRefine((r, ctx) => {
    if (r.periodicBusiness.churnedAfterMissed <= r.periodicBusiness.preChurnAfterMissed)
      ctx.addIssue({
        code: 'custom',
        message: 'churned must take more missed visits than pre-churn',
        path: ['periodicBusiness', 'churnedAfterMissed'],
      });
  });
export type RiskRules = z.infer<typeof RiskRules>;

/** What a fresh install evaluates with until an ops manager publishes a version. */
export const DEFAULT_RISK_RULES: RiskRules = RiskRules.parse({});

export type RuleName = 'red_line' | 'periodic_business' | 'declining_orders' | 'complaint';
export const RULE_LABELS: Record<RuleName, string> = {
  red_line: 'Red line',
  periodic_business: 'Periodic business',
  declining_orders: 'Declining orders',
  complaint: 'Complaint',
};
