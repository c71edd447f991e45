import { defineSearchAttributeKey, SearchAttributeType, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { continueAsNew, ParentClosePolicy, proxyActivities, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import type { playbookRun } from './playbookRun';
import { WORKFLOW_TYPE } from './contract';
import {
  RISK_RULES_USER,
  type RiskActivities,
  type RiskChange,
  type RiskEvaluationInput,
  type RiskEvaluationProgress,
  type RiskEvaluationResult,
} from './riskContract';
import { buildRunInput, runSearchAttributes, workflowIdFor, type PublishedPlaybook } from './runInput';

const acts = proxyActivities<RiskActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Set by Temporal on every workflow a schedule starts: the time this firing (or backfilled firing) stands for. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
const DEFAULT_PAGE = 1000;
/** A fresh run (continue-as-new) before the history gets long: pages and child starts each add events. */
const EVENTS_PER_RUN = 8000;

/**
 * The at-risk evaluation: scans customers page by page through activities (facts gathered, the pure
 * rules applied, status changes written idempotently), then fires each change's trigger by starting
 * every playbook whose start node listens for it, as an abandoned child workflow: durable (the start
 * is in this history, retried by Temporal, never lost between "status changed" and "playbook
 * started"), with the same input the API builds (workflows/runInput) and the attempt's usual workflow
 * id, so a customer never has two open attempts of one playbook (a running one makes the start
 * fail, which counts as skipped).
 */
export async function riskEvaluation(input: RiskEvaluationInput = {}): Promise<RiskEvaluationResult> {
  const info = workflowInfo();
  let progress: RiskEvaluationProgress;
  if (input.resume) {
    progress = input.resume;
  } else {
    const scheduled = info.typedSearchAttributes.get(SCHEDULED_START);
    const asOf = input.asOf ?? (scheduled ? new Date(scheduled).getTime() : Date.now());
    const reason = input.reason ?? (scheduled ? 'schedule' : 'manual');
    const { ruleVersion, rules } = await acts.beginRiskEvaluation({ evaluationId: info.workflowId, asOf, reason });
    progress = { evaluationId: info.workflowId, asOf, ruleVersion, rules, after: null, scanned: 0, changed: 0, startedPlaybooks: 0, skippedPlaybooks: 0 };
  }
  const listeners = new Map<string, PublishedPlaybook[]>();

  for (;;) {
    const page = await acts.evaluateRiskPage({
      evaluationId: progress.evaluationId,
      asOf: progress.asOf,
      rules: progress.rules,
      after: progress.after,
      limit: input.pageSize ?? DEFAULT_PAGE,
      ...(input.customerIds ? { customerIds: input.customerIds } : {}),
      scannedBefore: progress.scanned,
    });
    progress.scanned += page.scanned;
    progress.changed += page.changes.length;
    const { started, skipped } = await startListeners(page.changes, listeners);
    progress.startedPlaybooks += started;
    progress.skippedPlaybooks += skipped;
    progress.after = page.nextAfter;
    if (page.nextAfter === null) break;
    if (workflowInfo().historyLength > (input.eventsPerRun ?? EVENTS_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof riskEvaluation>({ ...input, resume: progress });
    }
  }
  await acts.finishRiskEvaluation({ evaluationId: progress.evaluationId, scanned: progress.scanned, startedPlaybooks: progress.startedPlaybooks });
  const { evaluationId, asOf, ruleVersion, scanned, changed, startedPlaybooks, skippedPlaybooks } = progress;
  return { evaluationId, asOf, ruleVersion, scanned, changed, startedPlaybooks, skippedPlaybooks };
}

async function startListeners(changes: RiskChange[], listeners: Map<string, PublishedPlaybook[]>): Promise<{ started: number; skipped: number }> {
  const unknown = [...new Set(changes.map((c) => c.trigger))].filter((t) => !listeners.has(t));
  if (unknown.length) {
    const found = await acts.listeningPlaybooks({ triggers: unknown });
    for (const t of unknown) listeners.set(t, found[t] ?? []);
  }
  const starts = changes.flatMap((change) => (listeners.get(change.trigger) ?? []).map((playbook) => startPlaybook(change, playbook)));
  const outcomes = await Promise.all(starts);
  return { started: outcomes.filter(Boolean).length, skipped: outcomes.filter((o) => !o).length };
}

/** True when started; false when an attempt of this playbook is already open for the customer. */
async function startPlaybook(change: RiskChange, playbook: PublishedPlaybook): Promise<boolean> {
  const input = buildRunInput({
    attemptId: uuid4(),
    playbook,
    customer: change.customer,
    startedBy: { userId: RISK_RULES_USER, role: 'ops_manager', department: null },
    variables: {},
  });
  try {
    await startChild<typeof playbookRun>(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(change.customerId, playbook.key),
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: runSearchAttributes(change.customerId, playbook),
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
