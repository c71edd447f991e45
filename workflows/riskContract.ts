import type { RiskRules } from '../playbooks/risk/rules';
import type { CustomerSnapshot } from './contract';
import type { PublishedPlaybook } from './runInput';

/**
 * The at-risk evaluation's contract between the workflow (workflows/riskEvaluation.ts) and its
 * activities (workers/riskActivities.ts), and what the API passes when it starts one.
 */
export const RISK_WORKFLOW_TYPE = 'riskEvaluation';
export const RISK_SCHEDULE_ID = 'risk-evaluation';
/** The user the rules act as: recovery_attempts.started_by and the status history name it (migration 13). */
export const RISK_RULES_USER = 'risk-rules';

export type EvaluationReason = 'schedule' | 'backfill' | 'manual' | 'complaint' | 'test';

export interface RiskEvaluationInput {
  reason?: EvaluationReason;
  /** The moment the rules judge (epoch ms); default: the schedule's time for this firing, else the workflow's start. */
  asOf?: number;
  /** Only these customers (a complaint that just came in, a test); default: every customer, page by page. */
  customerIds?: string[];
  pageSize?: number;
  /** History events before a fresh run (continue-as-new); tests set it low. */
  eventsPerRun?: number;
  /** Set by continue-as-new: where the previous run of this evaluation left off. */
  resume?: RiskEvaluationProgress;
}

export interface RiskEvaluationProgress {
  evaluationId: string;
  asOf: number;
  ruleVersion: number | null;
  rules: RiskRules;
  after: string | null;
  scanned: number;
  changed: number;
  startedPlaybooks: number;
  skippedPlaybooks: number;
}

export interface RiskEvaluationResult {
  evaluationId: string;
  asOf: number;
  ruleVersion: number | null;
  scanned: number;
  changed: number;
  startedPlaybooks: number;
  skippedPlaybooks: number;
}

export interface RiskChange {
  customerId: string;
  from: string;
  to: string;
  rule: string;
  trigger: string;
  customer: CustomerSnapshot;
}

export interface RiskPageResult {
  scanned: number;
  changes: RiskChange[];
  /** The last customer id of the page; null when this was the last page. */
  nextAfter: string | null;
}

export interface RiskActivities {
  beginRiskEvaluation(input: { evaluationId: string; asOf: number; reason: EvaluationReason }): Promise<{ ruleVersion: number | null; rules: RiskRules }>;
  evaluateRiskPage(input: {
    evaluationId: string;
    asOf: number;
    rules: RiskRules;
    after: string | null;
    limit: number;
    customerIds?: string[];
    scannedBefore: number;
  }): Promise<RiskPageResult>;
  /** The newest published version of every playbook whose start node listens for each trigger. */
  listeningPlaybooks(input: { triggers: string[] }): Promise<Record<string, PublishedPlaybook[]>>;
  finishRiskEvaluation(input: { evaluationId: string; scanned: number; startedPlaybooks: number }): Promise<void>;
}
