import { z } from 'zod';
import { RiskRules } from '../playbooks/risk/rules';

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

export interface DryRunMove {
  customerId: string;
  name: string;
  department: string | null;
  from: string;
  to: string;
  rule: string;
  trigger: string;
  evidence: Record<string, string | number | boolean | null>;
  publishedTo: string | null;
}
export interface DryRunResult {
  asOf: string;
  scanned: number;
  moves: DryRunMove[];
  more: number;
  byTransition: { from: string; to: string; rule: string; count: number }[];
  publishedMoves: number;
}
export interface RulesDraftView {
  rules: RiskRules;
  revision: number;
  updatedBy: string | null;
  updatedAt: string | null;
  publishedVersion: number | null;
  publishedRules: RiskRules;
}
export interface RulesVersionView {
  version: number;
  rules: RiskRules;
  note: string;
  publishedBy: string | null;
  publishedAt: string;
}
export interface EvaluationView {
  id: string;
  asOf: string;
  ruleVersion: number | null;
  reason: string;
  status: string;
  scanned: number;
  changed: number;
  startedPlaybooks: number;
  startedAt: string;
  finishedAt: string | null;
}
export interface ScheduleStatusView {
  schedule: {
    id: string;
    paused: boolean;
    note: string | null;
    spec: string;
    nextRuns: string[];
    recentRuns: { scheduledAt: string; takenAt: string; workflowId: string | null }[];
  } | null;
  /** Why the schedule could not be read (Temporal away), when it could not. */
  scheduleError: string | null;
  evaluations: EvaluationView[];
}
