import { z } from 'zod';
import { RiskRules } from '../playbooks/risk/rules';
import { Timestamp } from './common';

/** The at-risk rules, their dry run and the evaluation schedule (server/routes/risk.ts). */
export { RiskRules };

export const SaveRulesBody = z.object({
  rules: RiskRules,
  /** The draft revision the editor last read: a stale save is refused with 409. */
  revision: z.number().int().min(0).optional(),
});
export type SaveRulesBody = z.infer<typeof SaveRulesBody>;

export const PublishRulesBody = z.object({ note: z.string().max(500).default('') });

export const DryRunBody = z.object({
  /** The rules to try; default: the saved draft. */
  rules: RiskRules.optional(),
  /** Judge as of this moment; default: now. */
  asOf: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
  /** Continue a dry run after this customer id (the `next` of the previous answer; send its `asOf` too). */
  after: z.string().min(1).max(200).optional(),
});
export type DryRunBody = z.input<typeof DryRunBody>;

export const PauseBody = z.object({ note: z.string().trim().min(1).max(300).default('paused from the rules page') });

export const BackfillBody = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .refine((b) => Date.parse(b.from) < Date.parse(b.to), { message: 'from must be before to', path: ['to'] })
  .refine((b) => Date.parse(b.to) - Date.parse(b.from) <= 366 * 86_400_000, { message: 'at most a year at once', path: ['to'] });

const Evidence = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const DryRunMove = z.object({
  customerId: z.string(),
  name: z.string(),
  department: z.string().nullable(),
  /** The department's name, as people read it. */
  departmentName: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  rule: z.string(),
  trigger: z.string(),
  evidence: Evidence,
  publishedTo: z.string().nullable(),
});
export type DryRunMove = z.infer<typeof DryRunMove>;
export const DryRunResult = z.object({
  asOf: Timestamp,
  scanned: z.number().int(),
  moves: z.array(DryRunMove),
  more: z.number().int(),
  byTransition: z.array(z.object({ from: z.string(), to: z.string(), rule: z.string(), count: z.number().int() })),
  publishedMoves: z.number().int(),
  /** Customers within the user's reach in all (counted by SQL): the dry run's progress is scanned of total. */
  total: z.number().int(),
  /** Where to continue (send as `after`) when this answer covers only part of the customers; null when done. */
  next: z.string().nullable(),
});
export type DryRunResult = z.infer<typeof DryRunResult>;
export const RulesDraftView = z.object({
  rules: RiskRules,
  revision: z.number().int(),
  updatedBy: z.string().nullable(),
  updatedAt: Timestamp.nullable(),
  publishedVersion: z.number().int().nullable(),
  publishedRules: RiskRules,
});
export type RulesDraftView = z.infer<typeof RulesDraftView>;
export const RulesPublished = z.object({ version: z.number().int(), rules: RiskRules });
export const RulesVersionView = z.object({
  version: z.number().int(),
  rules: RiskRules,
  note: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: Timestamp,
});
export type RulesVersionView = z.infer<typeof RulesVersionView>;
export const RulesVersionList = z.object({ versions: z.array(RulesVersionView) });
export const EvaluationView = z.object({
  id: z.string(),
  asOf: Timestamp,
  ruleVersion: z.number().int().nullable(),
  reason: z.string(),
  status: z.string(),
  scanned: z.number().int(),
  changed: z.number().int(),
  startedPlaybooks: z.number().int(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type EvaluationView = z.infer<typeof EvaluationView>;
export const ScheduleView = z.object({
  id: z.string(),
  paused: z.boolean(),
  note: z.string().nullable(),
  spec: z.string(),
  nextRuns: z.array(Timestamp),
  recentRuns: z.array(z.object({ scheduledAt: Timestamp, takenAt: Timestamp, workflowId: z.string().nullable() })),
});
export const ScheduleStatusView = z.object({
  schedule: ScheduleView.nullable(),
  /** Why the schedule could not be read (Temporal away), when it could not. */
  scheduleError: z.string().nullable(),
  evaluations: z.array(EvaluationView),
});
export type ScheduleStatusView = z.infer<typeof ScheduleStatusView>;
export const Accepted = z.object({ accepted: z.literal(true) });
export const EvaluationChanges = z.object({
  changes: z.array(
    z.object({
      customerId: z.string(),
      name: z.string(),
      from: z.string(),
      to: z.string(),
      rule: z.string(),
      trigger: z.string(),
      evidence: Evidence,
      at: Timestamp,
    }),
  ),
});
