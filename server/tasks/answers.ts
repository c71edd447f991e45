import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { findNodeKind } from '../../playbooks/nodes';
import type { CompiledPlan } from '../../playbooks/plan';
import { answerStatusQuery, runViewQuery, type RunView } from '../../workflows/contract';
import type { OpenStepAnswer } from '../../contract/inbox';

/**
 * What the customer can answer right now on one recovery attempt, step by step, as a rep recording it
 * by phone sees it. It is asked of the run itself (its active steps and, for steps that sent an answer
 * link, the run's own answerStatus rule), never guessed from stored rows: an answer offered here is one
 * the run would take. Steps that sent a link (offer tiers, agreements) name the exact tier or agreement,
 * and their answer goes through the same customerAnswer Update as the link; the others (wait for answer)
 * take the customerResponse Signal with the kinds their config lists.
 */
export interface AttemptRef {
  id: string;
  workflow_id: string;
  first_run_id: string | null;
  playbook_key: string;
  playbook_version: number;
  status: string;
}

export const attemptRef = (row: Record<string, unknown>): AttemptRef => ({
  id: String(row.id),
  workflow_id: String(row.workflow_id),
  first_run_id: (row.first_run_id as string | null) ?? null,
  playbook_key: String(row.playbook_key),
  playbook_version: Number(row.playbook_version),
  status: String(row.status),
});

/** The handle of this attempt's chain of runs only: a later attempt reusing the workflow id is not answered. */
export const attemptHandle = (temporal: Client, attempt: AttemptRef) =>
  temporal.workflow.getHandle(attempt.workflow_id, undefined, attempt.first_run_id ? { firstExecutionRunId: attempt.first_run_id } : undefined);

export async function planOf(pool: Pool, attempt: AttemptRef): Promise<CompiledPlan | null> {
  const { rows } = await pool.query<{ plan: CompiledPlan }>('SELECT plan FROM playbook_versions WHERE playbook_key = $1 AND version = $2', [
    attempt.playbook_key,
    attempt.playbook_version,
  ]);
  return rows[0]?.plan ?? null;
}

/** "callback_requested" → "Callback requested": an answer kind as a rep reads it. */
const humanize = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');

export async function openAnswersOf(pool: Pool, temporal: Client, attempt: AttemptRef): Promise<OpenStepAnswer[]> {
  if (attempt.status !== 'running') return [];
  const handle = attemptHandle(temporal, attempt);
  const [view, plan] = await Promise.all([handle.query(runViewQuery) as Promise<RunView>, planOf(pool, attempt)]);
  if (view.status !== 'running' || !plan) return [];
  const answers: OpenStepAnswer[] = [];
  for (const step of view.activeSteps) {
    const node = plan.nodes[step.nodeId];
    const kind = node ? findNodeKind(node.kind) : undefined;
    if (!node || !kind) continue;
    if (kind.answerLink) {
      // A ref no step ever holds: the run answers "replaced" with what this step waits for now, or "closed".
      const status = await handle.query(answerStatusQuery, {
        attemptId: attempt.id,
        answers: { purpose: kind.answerLink.purpose, ref: '', nodeId: step.nodeId },
      });
      const open = status.open ? status.answer : status.reason === 'replaced' ? status.current : null;
      if (!open) continue;
      answers.push({
        nodeId: step.nodeId,
        stepName: step.name,
        nodeKind: node.kind,
        target: { purpose: open.purpose, ref: open.ref, tier: open.tier, text: open.text },
        kinds: kind.answerLink.answers.map((a) => ({ key: a.key, label: a.label })),
      });
      continue;
    }
    // Kinds without a link react to answers by their config alone (data-dependent ones send links).
    const kinds = kind.answers?.(node.config, {}) ?? [];
    if (kinds.length)
      answers.push({ nodeId: step.nodeId, stepName: step.name, nodeKind: node.kind, target: null, kinds: kinds.map((k) => ({ key: k, label: humanize(k) })) });
  }
  return answers;
}
