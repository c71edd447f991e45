import type { Client } from '@temporalio/client';
import { startBacklog, StartGate } from '../platform/startGate';
import { TASK_QUEUE } from '../workflows/contract';
import type { Deps } from './deps';
import { ApiError } from './errors';

/** What the OpenAPI document says of the 503 on every route that starts attempts. */
export const START_BACKLOG_ERROR = 'start_backlog: too many attempt starts are still settling; nothing was started or stored, retry after Retry-After seconds';

// One gate per Temporal client (one per API process; each test's app has its own), so every route
// that starts counts against the same admissions.
const gates = new WeakMap<Client, StartGate>();

export function startGateFor({ pool, temporal, config, log }: Deps): StartGate {
  let gate = gates.get(temporal);
  if (!gate) {
    gate = new StartGate({
      limit: config.START_BACKLOG_LIMIT,
      measure: startBacklog({ pool, workflowService: temporal.workflowService, namespace: temporal.options.namespace, taskQueue: TASK_QUEUE }),
      onMeasureError: (err) => log.warn({ err: String(err) }, 'start backlog not measured; starts admitted'),
    });
    gates.set(temporal, gate);
  }
  return gate;
}

/**
 * Admits `count` starts or refuses before anything is stored: 503 `start_backlog` with Retry-After.
 * Call it before the first write of the request, so a refused start leaves no row behind.
 */
export async function admitStarts(deps: Deps, count = 1): Promise<void> {
  const decision = await startGateFor(deps).tryAdmit(count);
  if (decision.admit) return;
  throw new ApiError(
    503,
    'start_backlog',
    `${decision.backlog} recovery attempt starts are still settling (limit ${deps.config.START_BACKLOG_LIMIT}); nothing was started, try again in ${decision.retryAfterSeconds} s`,
    { retryAfterSeconds: decision.retryAfterSeconds, backlog: decision.backlog, limit: deps.config.START_BACKLOG_LIMIT },
  );
}
