import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import type { Logger } from 'pino';
import { TASK_QUEUE } from '../../workflows/contract';
import { RISK_SCHEDULE_ID, RISK_WORKFLOW_TYPE, type RiskEvaluationInput } from '../../workflows/riskContract';

/**
 * The Temporal Schedule that runs the at-risk evaluation, daily at 02:00 UTC by default. The API
 * creates it when it starts (idempotently: an existing schedule, paused or not, is left as people
 * set it), so a fresh install evaluates without anyone setting it up, and a worker-only process
 * never needs a client. Overlaps are skipped: a day's evaluation still running makes the next wait.
 */
export const RISK_SCHEDULE_HOUR_UTC = 2;

export async function ensureRiskSchedule(temporal: Client, log: Logger): Promise<void> {
  try {
    // Bounded: an API started while Temporal is away must not keep retrying in the background.
    await temporal.withDeadline(Date.now() + 10_000, () =>
      temporal.schedule.create({
        scheduleId: RISK_SCHEDULE_ID,
        spec: { calendars: [{ hour: RISK_SCHEDULE_HOUR_UTC, minute: 0 }] },
        action: {
          type: 'startWorkflow',
          workflowType: RISK_WORKFLOW_TYPE,
          taskQueue: TASK_QUEUE,
          args: [{ reason: 'schedule' } satisfies RiskEvaluationInput],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        state: { note: 'daily at-risk evaluation' },
      }),
    );
    log.info({ scheduleId: RISK_SCHEDULE_ID }, 'at-risk evaluation schedule created');
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return;
    throw err;
  }
}

export interface RiskScheduleView {
  id: string;
  paused: boolean;
  note: string | null;
  spec: string;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; takenAt: string; workflowId: string | null }[];
}

export function scheduleView(d: ScheduleDescription): RiskScheduleView {
  return {
    id: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note ?? null,
    spec: `daily at ${String(RISK_SCHEDULE_HOUR_UTC).padStart(2, '0')}:00 UTC`,
    nextRuns: d.info.nextActionTimes.slice(0, 5).map((t) => t.toISOString()),
    recentRuns: d.info.recentActions
      .slice(-10)
      .reverse()
      .map((a) => ({
        scheduledAt: a.scheduledAt.toISOString(),
        takenAt: a.takenAt.toISOString(),
        workflowId: a.action.type === 'startWorkflow' ? a.action.workflow.workflowId : null,
      })),
  };
}

export { ScheduleNotFoundError };
