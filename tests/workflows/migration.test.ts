import { compilePlaybook } from '../../playbooks/compile';
import { operateUpdate, snapshotQuery, type OperationRequest } from '../../workflows/contract';
import { sleeperV1, sleeperV2 } from '../support/migrationGraphs';
import { ACTORS, at, DAY, updateRefusal, withRun, type CustomerFields, type Run } from '../support/playbookHarness';
import { timeSkippingSuite } from '../support/workflowTest';

const customer: CustomerFields = { department: 'after_sales', grade: 'ordinary', value: 2000, accountManager: null };
const olga = { userId: 'u-olga', role: 'ops_manager', department: null };
const planV2 = compilePlaybook(sleeperV2).plan!;

/** Version 2 of the run's own playbook, published beside version 1 (the attempt row is re-pinned to it). */
async function publishV2(pool: import('pg').Pool, run: Run): Promise<{ key: string; version: number; name: string }> {
  const { rows } = await pool.query<{ playbook_key: string }>('SELECT playbook_key FROM recovery_attempts WHERE id = $1', [run.attemptId]);
  const key = rows[0].playbook_key;
  await pool.query('INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 2, $2, $3, $4)', [
    key,
    JSON.stringify(sleeperV2),
    JSON.stringify(planV2),
    planV2.hash,
  ]);
  return { key, version: 2, name: key };
}

const migrate = (playbook: { key: string; version: number; name: string }, operationId: string, mapping: Record<string, string> = {}): OperationRequest => ({
  operationId,
  actor: olga,
  reason: 'version 2 calls after the wait',
  operation: { type: 'migrate', to: { playbook, plan: planV2 }, mapping },
});

describe('migrating sleeping attempts on the time-skipping server', () => {
  const { testEnv, pool } = timeSkippingSuite();

  it('an attempt asleep in a 30-day wait moves to a version that removed a step before the wait and inserted one after it, and finishes on the new path', async () => {
    await withRun(testEnv, pool, { name: 'migrate-sleeper', graph: sleeperV1, customer }, async (run) => {
      await run.complete(await run.task({ node_id: 'call' }), 'done', {}, ACTORS.rita);
      await run.until((v) => at(v).includes('wait'), 'asleep in the wait');
      await testEnv.sleep('10 days');
      const playbook = await publishV2(pool, run);
      const before = await run.handle.query(snapshotQuery);
      const result = await run.handle.executeUpdate(operateUpdate, { args: [{ ...migrate(playbook, 'op-migrate-1'), expectedTransition: before.transition }] });
      expect(result).toMatchObject({ playbookVersion: 2, steps: [{ fromNodeId: 'wait', action: 'kept' }] });
      // The wait's timer is kept: it fires 30 days after the wait began, not 30 days after the move.
      const after = await run.handle.query(snapshotQuery);
      expect(after.playbook.version).toBe(2);
      expect(after.planHash).toBe(planV2.hash);
      expect(Object.values(after.state.timers)).toEqual(Object.values(before.state.timers));
      const row = await pool.query('SELECT playbook_version, migrated_from FROM recovery_attempts WHERE id = $1', [run.attemptId]);
      expect(row.rows[0]).toEqual({ playbook_version: 2, migrated_from: 1 });
      const audit = await pool.query("SELECT actor_id, details FROM audit_log WHERE attempt_id = $1 AND action = 'attempt_migrated'", [run.attemptId]);
      expect(audit.rows).toEqual([{ actor_id: 'u-olga', details: expect.objectContaining({ toVersion: 2, reason: 'version 2 calls after the wait' }) }]);

      // A retry of the same Update (same id) is answered, not applied twice.
      await run.handle.executeUpdate(operateUpdate, { args: [migrate(playbook, 'op-migrate-1')], updateId: 'op-migrate-1' }).catch(() => undefined);
      expect((await pool.query('SELECT count(*)::int AS n FROM attempt_operations WHERE attempt_id = $1', [run.attemptId])).rows[0].n).toBe(1);

      await testEnv.sleep(`${21 * DAY}ms`);
      const follow = await run.task({ node_id: 'follow' }, 'the follow-up call version 2 inserted');
      expect(follow.title).toBe('Follow-up call');
      await run.complete(follow, 'reached', {}, ACTORS.rita);
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: null });
    });
  });

  it('an impossible migration is refused with its reason and changes nothing', async () => {
    await withRun(testEnv, pool, { name: 'migrate-refused', graph: sleeperV1, customer }, async (run) => {
      await run.task({ node_id: 'call' });
      const playbook = await publishV2(pool, run);
      const before = await run.handle.query(snapshotQuery);
      const refusal = await updateRefusal(run.handle.executeUpdate(operateUpdate, { args: [migrate(playbook, 'op-refused')] }));
      expect(refusal).toBe('operation_refused');
      const failure = await run.handle.executeUpdate(operateUpdate, { args: [migrate(playbook, 'op-refused-2')] }).then(
        () => null,
        (err: Error & { cause?: Error }) => err,
      );
      expect(String(failure?.cause?.message)).toContain('"call" is not in version 2');
      const after = await run.handle.query(snapshotQuery);
      expect(after).toEqual(before);
      const history = await run.handle.fetchHistory();
      expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
      // Mapped, the same attempt can move: the call is left and the follow-up entered under version 2.
      const mapped = await run.handle.executeUpdate(operateUpdate, { args: [migrate(playbook, 'op-mapped', { call: 'follow' })] });
      expect(mapped.steps).toEqual([expect.objectContaining({ fromNodeId: 'call', toNodeId: 'follow', action: 're_entered' })]);
      expect((await run.tasks()).map((t) => [t.node_id, t.status])).toEqual([
        ['call', 'cancelled'],
        ['follow', 'open'],
      ]);
    });
  });

  it('a move and a cancel go through the same validated Update', async () => {
    await withRun(testEnv, pool, { name: 'operate-move', graph: sleeperV1, customer }, async (run) => {
      await run.task({ node_id: 'call' });
      const { state } = await run.handle.query(snapshotQuery);
      const [step] = Object.values(state.steps);
      const refused = await updateRefusal(
        run.handle.executeUpdate(operateUpdate, {
          args: [{ operationId: 'op-rep', actor: ACTORS.rita, reason: 'skip it', operation: { type: 'move_step', fromStepId: step.stepId, toNodeId: 'wait' } }],
        }),
      );
      expect(refused).toBe('operation_refused');
      const moved = await run.handle.executeUpdate(operateUpdate, {
        args: [
          {
            operationId: 'op-move',
            actor: olga,
            reason: 'the customer already called us',
            operation: { type: 'move_step', fromStepId: step.stepId, toNodeId: 'wait' },
          },
        ],
      });
      expect(moved.effects.tasksCancelled.map((t) => t.title)).toEqual(['Call the customer']);
      expect(moved.activeNodeIds).toEqual(['wait']);
      const cancelled = await run.handle.executeUpdate(operateUpdate, {
        args: [{ operationId: 'op-cancel', actor: olga, reason: 'customer asked to stop', operation: { type: 'cancel_attempt', outcome: 'cancelled' } }],
      });
      expect(cancelled.status).toBe('completed');
      expect(await run.result()).toEqual({ outcome: 'cancelled', reason: 'customer asked to stop' });
    });
  });
});
