import type { SearchAttributePair } from '@temporalio/common';
import type { CompiledPlan } from '../playbooks/plan';
import type { Actor, Json } from '../playbooks/runtime/types';
import type { CustomerSnapshot, PlaybookRunInput } from './contract';
import { CUSTOMER_ID, PLAYBOOK_KEY, PLAYBOOK_VERSION } from './searchAttributes';

/**
 * How a recovery attempt's input is made, in one place for every starter: the API (POST /api/runs,
 * POST /api/triggers) and the at-risk evaluation workflow, which starts playbooks as child
 * workflows. Pure (no I/O, no clock, no randomness: the attempt id comes in), so it is safe inside
 * workflow code; the rows it is fed are read by the API or by an activity.
 */

/** One attempt per customer and playbook at a time: the workflow id says which, and Temporal refuses a second while one runs. */
export const workflowIdFor = (customerId: string, playbookKey: string): string => `recovery/${customerId}/${playbookKey}`;

/** A published playbook version, as playbook_versions (joined with playbooks for the name) stores it. */
export interface PublishedPlaybook {
  key: string;
  version: number;
  name: string;
  plan: CompiledPlan;
}

export interface RunInputSource {
  attemptId: string;
  playbook: PublishedPlaybook;
  customer: CustomerSnapshot;
  startedBy: Actor;
  variables: Record<string, Json>;
}

export function buildRunInput(src: RunInputSource): PlaybookRunInput {
  const c = src.customer;
  return {
    attemptId: src.attemptId,
    playbook: { key: src.playbook.key, version: src.playbook.version, name: src.playbook.name },
    plan: src.playbook.plan,
    customer: {
      id: c.id,
      name: c.name,
      department: c.department,
      grade: c.grade,
      value: c.value,
      accountManager: c.accountManager,
      // The file's own fields, so decisions read customer.status / churnType / churnReason.
      status: c.status,
      churnType: c.churnType ?? null,
      churnReason: c.churnReason ?? null,
    },
    startedBy: src.startedBy,
    // The account manager is a run variable so a task can be assigned "to the customer's account manager".
    variables: { ...(c.accountManager ? { account_manager: c.accountManager } : {}), ...src.variables },
  };
}

/** The search attributes every attempt carries, so `temporal workflow list --query 'CustomerId="…"'` finds it. */
export function runSearchAttributes(customerId: string, playbook: { key: string; version: number }): SearchAttributePair[] {
  return [
    { key: CUSTOMER_ID, value: customerId },
    { key: PLAYBOOK_KEY, value: playbook.key },
    { key: PLAYBOOK_VERSION, value: playbook.version },
  ];
}
