import { z } from 'zod';
import type { Role } from '../playbooks/directory';

/**
 * The retention dashboard and the playbook heatmap (server/routes/analytics.ts): churn and win-back
 * rates month by month, attempt outcomes by playbook, version and the offer tier that won the
 * customer back, the failure audit, per-step analytics and experiment arms. The definitions and
 * their SQL are in the README ("Measurement").
 */

/** Ops managers and admins see every department, department heads their own; auditors read; reps are refused. */
export const ANALYTICS_READERS = ['ops_manager', 'admin', 'department_head', 'auditor'] as const satisfies readonly Role[];

/** A calendar month, `YYYY-MM` (months are UTC). */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');
/** A calendar day, `YYYY-MM-DD` (UTC). */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

export const Format = z.enum(['json', 'csv']).default('json').describe('csv: the same table as text/csv, for a spreadsheet');

const version = z.coerce.number().int().positive().max(1_000_000);
const key = z.string().min(1).max(200);

/** Customer-based breakdowns of the monthly rates (the customer's current attribute). */
export const RateBreakdown = z.enum(['none', 'churn_type', 'churn_reason', 'grade', 'department']);
export type RateBreakdown = z.infer<typeof RateBreakdown>;
/** Attempt-based breakdowns of the monthly outcomes. */
export const OutcomeBreakdown = z.enum(['playbook', 'version', 'offer_tier']);
export type OutcomeBreakdown = z.infer<typeof OutcomeBreakdown>;

export const MonthRangeQuery = z.object({
  from: Month.optional().describe('first month, inclusive (default: eleven months before `to`)'),
  to: Month.optional().describe('last month, inclusive (default: this month)'),
  department: key.optional().describe('only customers of this department'),
  format: Format,
});

export const RatesQuery = MonthRangeQuery.extend({ breakdown: RateBreakdown.default('none') });
export type RatesQuery = z.infer<typeof RatesQuery>;
export const OutcomesQuery = MonthRangeQuery.extend({
  breakdown: OutcomeBreakdown.default('playbook'),
  playbook: key.optional(),
  version: version.optional(),
});
export type OutcomesQuery = z.infer<typeof OutcomesQuery>;
export const FailuresQuery = MonthRangeQuery.extend({ playbook: key.optional() });
export type FailuresQuery = z.infer<typeof FailuresQuery>;

export const StepsQuery = z.object({
  version: version.optional().describe('one version (default: every version, drawn on the latest)'),
  from: Day.optional().describe('steps entered on or after this day'),
  to: Day.optional().describe('steps entered on or before this day'),
  department: key.optional(),
  format: Format,
});
export type StepsQuery = z.infer<typeof StepsQuery>;
export const ExperimentsQuery = z.object({
  playbook: key.optional(),
  version: version.optional(),
  from: Day.optional().describe('attempts split on or after this day'),
  to: Day.optional().describe('attempts split on or before this day'),
  department: key.optional(),
  format: Format,
});
export type ExperimentsQuery = z.infer<typeof ExperimentsQuery>;

/** A rate is null when its denominator is zero (nothing to divide by is not 0 %). */
const rate = z.number().min(0).nullable();

export const RateRow = z.object({
  month: Month,
  group: z.string().describe('the breakdown value ("all" without a breakdown, "none" when not recorded)'),
  label: z.string(),
  served: z.number().int(),
  lost: z.number().int(),
  wonBack: z.number().int(),
  churnRate: rate,
  winBackRate: rate,
});
export type RateRow = z.infer<typeof RateRow>;
export const RatesReport = z.object({ from: Month, to: Month, breakdown: RateBreakdown, rows: z.array(RateRow) });
export type RatesReport = z.infer<typeof RatesReport>;

export const OutcomeRow = z.object({
  month: Month,
  group: z.string(),
  label: z.string(),
  /** Attempts that ended that month (for offer tiers: every attempt of the month, the same for each tier). */
  ended: z.number().int(),
  wonBack: z.number().int(),
  winBackRate: rate,
});
export type OutcomeRow = z.infer<typeof OutcomeRow>;
export const OutcomesReport = z.object({ from: Month, to: Month, breakdown: OutcomeBreakdown, rows: z.array(OutcomeRow) });
export type OutcomesReport = z.infer<typeof OutcomesReport>;

export const FailureRow = z.object({
  field: z.string(),
  fieldLabel: z.string(),
  cause: z.string(),
  causeLabel: z.string(),
  count: z.number().int(),
  share: z.number(),
});
export type FailureRow = z.infer<typeof FailureRow>;
export const FailureAudit = z.object({ from: Month, to: Month, fields: z.array(z.string()), tasks: z.number().int(), rows: z.array(FailureRow) });
export type FailureAudit = z.infer<typeof FailureAudit>;

export const NodeStat = z.object({
  nodeId: z.string(),
  name: z.string(),
  kind: z.string(),
  entered: z.number().int(),
  left: z.number().int(),
  /** Still at the step (the run is waiting there, or was terminated there). */
  open: z.number().int(),
  /** Left without taking a connection: cancelled when the run ended elsewhere (end nodes never count). */
  droppedOff: z.number().int(),
  dropOffRate: rate,
  /** From duration buckets (the report's `timeError` says how close): null when no step has left. */
  medianSeconds: z.number().nullable().describe('median time in step, seconds, from duration buckets (within `timeError` of the exact percentile)'),
  p90Seconds: z.number().nullable().describe('90th percentile time in step, seconds, from duration buckets (within `timeError` of the exact percentile)'),
});
export type NodeStat = z.infer<typeof NodeStat>;
export const EdgeStat = z.object({ edgeId: z.string(), source: z.string(), target: z.string(), handle: z.string(), count: z.number().int() });
export type EdgeStat = z.infer<typeof EdgeStat>;
export const StepReport = z.object({
  playbookKey: z.string(),
  name: z.string(),
  /** The version whose graph the counts are drawn on. */
  version: z.number().int(),
  versions: z.array(z.number().int()),
  attempts: z.number().int(),
  nodes: z.array(NodeStat),
  edges: z.array(EdgeStat),
  /**
   * How far a median or p90 may be from the exact percentile_cont of the durations, as fractions of
   * it: the times come from a histogram of ten buckets per decade (server/analytics/duration.ts).
   */
  timeError: z
    .object({ below: z.number(), above: z.number() })
    .describe('medians and p90s come from duration buckets: each is at most `below` under and `above` over the exact value (fractions, 0.109 and 0.122)'),
});
export type StepReport = z.infer<typeof StepReport>;

export const ArmStat = z.object({
  arm: z.string(),
  label: z.string(),
  attempts: z.number().int(),
  ended: z.number().int(),
  wonBack: z.number().int(),
  winBackRate: rate,
  /** Wilson score interval, 95 %. */
  low: z.number().nullable(),
  high: z.number().nullable(),
  /** Against the experiment's baseline arm (the hold-out when there is one): two-proportion z-test. */
  pValue: z.number().nullable(),
  significant: z.boolean(),
});
export type ArmStat = z.infer<typeof ArmStat>;
export const Experiment = z.object({
  playbookKey: z.string(),
  playbookName: z.string(),
  nodeId: z.string(),
  nodeName: z.string(),
  baseline: z.string(),
  arms: z.array(ArmStat),
  verdict: z.string(),
});
export type Experiment = z.infer<typeof Experiment>;
export const ExperimentReport = z.object({ experiments: z.array(Experiment) });
export type ExperimentReport = z.infer<typeof ExperimentReport>;
