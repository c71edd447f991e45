import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { defaultPayloadConverter } from '@temporalio/common';
import { tieredWinBackGraph } from '../../playbooks/templates/tieredWinBack';
import { churnAndWinBackRates } from '../../server/analytics/rates';
import { monthRange } from '../../server/analytics/period';
import type { SessionUser } from '../../server/http';
import { createActivities } from '../../workers/activities';
import { createRiskActivities } from '../../workers/riskActivities';
import { completeTaskUpdate, customerResponseSignal, runViewQuery, type PlaybookRunInput } from '../../workflows/contract';
import type { riskEvaluation } from '../../workflows/riskEvaluation';
import { workflowIdFor } from '../../workflows/runInput';
import { ACTORS, DAY } from '../support/playbookHarness';
import { eventually } from '../support/product';
import { createTestWorker, timeSkippingSuite } from '../support/workflowTest';

/** The seeded tiered win-back (server/seed.ts publishes the template): its start node listens for customer.pre_churn. */
const key = 'tiered-win-back';

const olga: SessionUser = { id: 'u-olga', username: 'olga', displayName: 'Olga', role: 'ops_manager', department: null };

/** This month's dashboard figures for churn reason C (the month PostgreSQL's clock is in: status changes are dated by it). */
async function reasonCThisMonth(pool: Pool) {
  const range = monthRange(undefined, undefined, new Date());
  const report = await churnAndWinBackRates(pool, olga, { breakdown: 'churn_reason', range });
  const month = range.months[range.months.length - 1];
  return report.rows.find((r) => r.month === month && r.group === 'C') ?? { wonBack: 0, lost: 0, winBackRate: null };
}

describe('the retention loop on the time-skipping server', () => {
  const { testEnv, pool } = timeSkippingSuite();

  it('two missed visits → the evaluation marks the customer pre-churn → the win-back starts by itself with their reason → a tier accepted → won back in the history', async () => {
    expect(tieredWinBackGraph.nodes.find((n) => n.id === 'start')?.config).toMatchObject({ trigger: 'event', triggerKey: 'customer.pre_churn' });
    const now = await testEnv.currentTimeMs();
    // A regular customer (visits every 30 days) who left for a competitor on price, active as far as the file knows.
    const customerId = `LOOP-${randomUUID().slice(0, 8)}`;
    await pool.query(
      `INSERT INTO customers (id, name, grade, value, department_id, account_manager_id, status, expected_visit_days, churn_type, churn_reason, customer_since)
       VALUES ($1, 'Loop Garage', 'ordinary', 4200, 'after_sales', 'u-rita', 'active', 30, 'competitive', 'C', $2)`,
      [customerId, new Date(now - 400 * DAY)],
    );
    // Regular monthly visits, the last one 61 days ago: two expected visits missed.
    for (const ago of [121, 91, 61]) {
      await pool.query(`INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, 'visit', 'test', $2, $3)`, [
        customerId,
        `${customerId}-visit-${ago}`,
        new Date(now - ago * DAY),
      ]);
    }

    // Another reason-C customer crossed the churn line this month, so the month's win-back rate for C has a denominator.
    const lostId = `LOOP-LOST-${randomUUID().slice(0, 8)}`;
    await pool.query(`INSERT INTO customers (id, name, status, churn_type, churn_reason) VALUES ($1, 'Gone Garage', 'pre_churn', 'competitive', 'C')`, [
      lostId,
    ]);
    await pool.query(`UPDATE customers SET status = 'churned' WHERE id = $1`, [lostId]);
    const before = await reasonCThisMonth(pool);
    expect(before.lost).toBeGreaterThanOrEqual(1);

    const taskQueue = `tq-loop-${randomUUID().slice(0, 8)}`;
    const worker = await createTestWorker(testEnv, pool, taskQueue, { ...createActivities(pool), ...createRiskActivities(pool) });
    await worker.runUntil(async () => {
      const evaluation = await testEnv.client.workflow.execute<typeof riskEvaluation>('riskEvaluation', {
        taskQueue,
        workflowId: `risk-evaluation/test/${customerId}`,
        args: [{ reason: 'test', customerIds: [customerId] }],
      });
      expect(evaluation).toMatchObject({ scanned: 1, changed: 1, startedPlaybooks: 1, skippedPlaybooks: 0 });

      const history = async () =>
        (
          await pool.query('SELECT from_status, to_status, rule, evidence, changed_by FROM customer_status_history WHERE customer_id = $1 ORDER BY id', [
            customerId,
          ])
        ).rows;
      expect(await history()).toEqual([
        {
          from_status: 'active',
          to_status: 'pre_churn',
          rule: 'periodic_business',
          evidence: expect.objectContaining({ missedVisits: 2, expectedVisitDays: 30, evaluation: `risk-evaluation/test/${customerId}` }),
          changed_by: 'risk-rules',
        },
      ]);

      // The win-back started by itself, as the rules' user, with the customer's churn type and reason in its input.
      const attempt = await eventually(
        async () => (await pool.query('SELECT * FROM recovery_attempts WHERE customer_id = $1 AND playbook_key = $2', [customerId, key])).rows[0],
        20_000,
        'the win-back attempt row',
      );
      expect(attempt).toMatchObject({ started_by: 'risk-rules', workflow_id: workflowIdFor(customerId, key) });
      const run = testEnv.client.workflow.getHandle(workflowIdFor(customerId, key));
      const started = (await run.fetchHistory()).events![0].workflowExecutionStartedEventAttributes!;
      const input = defaultPayloadConverter.fromPayload<PlaybookRunInput>(started.input!.payloads![0]);
      expect(input.customer).toMatchObject({ id: customerId, status: 'pre_churn', churnType: 'competitive', churnReason: 'C', accountManager: 'u-rita' });
      expect(input.startedBy.userId).toBe('risk-rules');

      // A second evaluation the same day moves nobody and starts nothing: the customer is already pre-churn.
      const again = await testEnv.client.workflow.execute<typeof riskEvaluation>('riskEvaluation', {
        taskQueue,
        workflowId: `risk-evaluation/test/${customerId}/again`,
        args: [{ reason: 'test', customerIds: [customerId] }],
      });
      expect(again).toMatchObject({ changed: 0, startedPlaybooks: 0 });

      // Someone sets them back to active by hand (their clock as it was); the next evaluation moves them again,
      // but the win-back is still open for them: no second attempt, the start counts as skipped.
      await pool.query("UPDATE customers SET status = 'active' WHERE id = $1", [customerId]);
      await pool.query('UPDATE customers SET status_changed_at = $2 WHERE id = $1', [customerId, new Date(now - 200 * DAY)]);
      const third = await testEnv.client.workflow.execute<typeof riskEvaluation>('riskEvaluation', {
        taskQueue,
        workflowId: `risk-evaluation/test/${customerId}/third`,
        args: [{ reason: 'test', customerIds: [customerId] }],
      });
      expect(third).toMatchObject({ changed: 1, startedPlaybooks: 0, skippedPlaybooks: 1 });
      expect((await pool.query('SELECT count(*)::int AS n FROM recovery_attempts WHERE customer_id = $1', [customerId])).rows[0].n).toBe(1);

      // The rep calls back and records reason C; the price ladder's first tier goes out and the customer accepts it.
      const call = await eventually(
        async () => (await pool.query("SELECT task_key FROM tasks WHERE attempt_id = $1 AND node_id = 'call_back' AND status = 'open'", [attempt.id])).rows[0],
        20_000,
        'the call-back task',
      );
      await run.executeUpdate(completeTaskUpdate, {
        args: [{ taskKey: call.task_key, outcome: 'reason_recorded', form: { churn_reason: 'C', call_notes: 'cheaper elsewhere' }, actor: ACTORS.rita }],
      });
      await eventually(async () => (await run.query(runViewQuery)).variables['offer_price.tier'] === 1, 20_000, 'tier 1 of the ladder');
      await run.signal(customerResponseSignal, { responseId: randomUUID(), kind: 'accepted', channel: 'email', note: null, actor: null });
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });

      const rows = await history();
      expect(rows.map((r) => [r.from_status, r.to_status, r.rule])).toEqual([
        ['active', 'pre_churn', 'periodic_business'],
        ['pre_churn', 'active', 'manual'],
        ['active', 'pre_churn', 'periodic_business'],
        ['pre_churn', 'won_back', 'playbook'],
      ]);
      // Back, the customer's clock starts again: the next evaluation leaves them won back.
      const after = await testEnv.client.workflow.execute<typeof riskEvaluation>('riskEvaluation', {
        taskQueue,
        workflowId: `risk-evaluation/test/${customerId}/after`,
        args: [{ reason: 'test', customerIds: [customerId] }],
      });
      expect(after).toMatchObject({ changed: 0 });
      expect((await pool.query('SELECT status FROM customers WHERE id = $1', [customerId])).rows[0].status).toBe('won_back');

      // The dashboard counts the customer won back this month under their reason, and the rate moves.
      const after2 = await reasonCThisMonth(pool);
      expect(after2.wonBack).toBe(before.wonBack + 1);
      expect(after2.lost).toBe(before.lost);
      expect(after2.winBackRate).toBeCloseTo((before.wonBack + 1) / before.lost);
    });
  });
  it('scans page by page across fresh runs (continue-as-new) and applies each change once', async () => {
    const now = await testEnv.currentTimeMs();
    const ids = [1, 2, 3].map((n) => `PAGE-${randomUUID().slice(0, 8)}-${n}`);
    for (const id of ids) {
      await pool.query(`INSERT INTO customers (id, name, department_id, status) VALUES ($1, 'Paged', 'after_sales', 'active')`, [id]);
      await pool.query(`INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, 'complaint', 'test', $2, $3)`, [
        id,
        `${id}-complaint`,
        new Date(now - DAY),
      ]);
    }
    const taskQueue = `tq-paged-${randomUUID().slice(0, 8)}`;
    const worker = await createTestWorker(testEnv, pool, taskQueue, { ...createActivities(pool), ...createRiskActivities(pool) });
    await worker.runUntil(async () => {
      const handle = await testEnv.client.workflow.start<typeof riskEvaluation>('riskEvaluation', {
        taskQueue,
        workflowId: `risk-evaluation/test/${ids[0]}`,
        // One customer per page and a fresh run after every page.
        args: [{ reason: 'test', customerIds: ids, pageSize: 1, eventsPerRun: 1 }],
      });
      const result = await handle.result();
      // Each complaint starts the seeded complaint response (its start listens for customer.complaint), once.
      expect(result).toMatchObject({ scanned: 3, changed: 3, startedPlaybooks: 3, skippedPlaybooks: 0 });
      const firstRun = await testEnv.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
      expect(firstRun.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      // Settled (their first step stored, the acknowledgement open) before this worker stops, then ended,
      // so no start is left unsettled for other suites' start back-pressure and nothing waits on this queue.
      await eventually(
        async () =>
          (
            await pool.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM recovery_attempts WHERE customer_id = ANY($1) AND playbook_key = 'complaint-response' AND last_transition > 0",
              [ids],
            )
          ).rows[0].n === 3,
        20_000,
        'the three complaint responses settled',
      );
      for (const id of ids) await testEnv.client.workflow.getHandle(workflowIdFor(id, 'complaint-response')).terminate('test done');
    });
    const history = await pool.query('SELECT customer_id, to_status, rule FROM customer_status_history WHERE customer_id = ANY($1) ORDER BY customer_id', [
      ids,
    ]);
    expect(history.rows).toEqual(ids.sort().map((id) => ({ customer_id: id, to_status: 'at_risk', rule: 'complaint' })));
  });
});
