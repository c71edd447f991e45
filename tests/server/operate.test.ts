import { Pool } from 'pg';
import type { z } from 'zod';
import type { BatchDetail, MigrationVerdict, OperationApplied } from '../../contract/operate';
import { sleeperV1, sleeperV2 } from '../support/migrationGraphs';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * Operating sleeping attempts through the real API, worker, Temporal and PostgreSQL: repairs with
 * their refusals, an incident from a write PostgreSQL refuses, a migration's dry run with its
 * replay proof and its application, and a batch run as a workflow.
 */
describe('operating attempts through the API', () => {
  let product: Product;
  let ops: string;
  let rep: string;
  let head: string;
  let auditor: string;
  let owner: Pool;
  const key = `operate-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    await product.startOperationsWorker();
    owner = new Pool({ connectionString: process.env.TEST_OWNER_DATABASE_URL });
    [ops, head, auditor, rep] = await Promise.all([product.login('olga'), product.login('hana'), product.login('aude'), product.login('rita')]);
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Sleeper', graph: sleeperV1 } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, key);
    await owner.query('ALTER TABLE tasks DROP CONSTRAINT IF EXISTS operate_test_poison');
    await owner.end();
    await product.stop();
  });

  /** An attempt of version 1 (the tests publish version 2 on the way). */
  async function start(): Promise<string> {
    const customerId = await newCustomer(product.pool);
    const res = await product.api<{ id: string }>('POST', '/api/attempts', { token: ops, body: { playbookKey: key, version: 1, customerId } });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  const openTask = (attemptId: string) =>
    eventually(
      async () => (await product.pool.query("SELECT * FROM tasks WHERE attempt_id = $1 AND status = 'open'", [attemptId])).rows[0],
      20_000,
      'an open task',
    );
  const attemptRow = async (attemptId: string) => (await product.pool.query('SELECT * FROM recovery_attempts WHERE id = $1', [attemptId])).rows[0];
  async function asleepInWait(): Promise<string> {
    const attemptId = await start();
    const task = await openTask(attemptId);
    expect((await product.api('POST', `/api/tasks/${task.id}/complete`, { token: rep, body: { outcome: 'done', form: {} } })).status).toBe(200);
    await eventually(async () => (await attemptRow(attemptId)).current_node_ids.includes('wait'), 20_000, 'asleep in the wait');
    return attemptId;
  }

  it('moves a stuck attempt with a reason, refuses an impossible move with the runtime’s reason, and lets only operators repair', async () => {
    const attemptId = await start();
    await openTask(attemptId);
    const row = await eventually(async () => {
      const r = await attemptRow(attemptId);
      return r.waits.length ? r : null;
    });
    expect(row.waits).toEqual([expect.objectContaining({ nodeId: 'call', tasks: [expect.objectContaining({ title: 'Call the customer' })] })]);
    const fromStepId = row.waits[0].stepId;

    const refused = await product.api<{ error: { code: string; message: string } }>('POST', `/api/attempts/${attemptId}/move`, {
      token: ops,
      body: { fromStepId, toNodeId: 'nowhere', reason: 'testing a wrong target' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'unknown_step', message: expect.stringContaining('no step "nowhere"') });
    for (const token of [head, auditor]) {
      expect(
        (await product.api('POST', `/api/attempts/${attemptId}/move`, { token, body: { fromStepId, toNodeId: 'wait', reason: 'not mine to do' } })).status,
      ).toBe(403);
    }
    expect((await product.api('POST', `/api/attempts/${attemptId}/move`, { token: ops, body: { fromStepId, toNodeId: 'wait' } })).status).toBe(400);

    const moved = await product.api<z.infer<typeof OperationApplied>>('POST', `/api/attempts/${attemptId}/move`, {
      token: ops,
      body: { fromStepId, toNodeId: 'wait', reason: 'the customer called us first' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.effects.tasksCancelled.map((t) => t.title)).toEqual(['Call the customer']);
    expect(moved.body.activeNodeIds).toEqual(['wait']);
    await eventually(async () => (await product.pool.query("SELECT 1 FROM tasks WHERE attempt_id = $1 AND status = 'cancelled'", [attemptId])).rowCount);
    const audit = await eventually(
      async () => (await product.pool.query("SELECT * FROM audit_log WHERE attempt_id = $1 AND action = 'attempt_step_moved'", [attemptId])).rows[0],
    );
    expect(audit).toMatchObject({ actor_id: 'u-olga', details: expect.objectContaining({ reason: 'the customer called us first', toNodeId: 'wait' }) });

    const variable = await product.api('POST', `/api/attempts/${attemptId}/variables`, {
      token: ops,
      body: { name: 'customer.value', value: 1, reason: 'try to cheat' },
    });
    expect(variable.status).toBe(400);
    const cancelled = await product.api<z.infer<typeof OperationApplied>>('POST', `/api/attempts/${attemptId}/cancel`, {
      token: ops,
      body: { outcome: 'cancelled', reason: 'customer asked us to stop' },
    });
    expect(cancelled.body).toMatchObject({ status: 'completed' });
    await eventually(async () => (await attemptRow(attemptId)).status === 'completed');
    expect((await product.api('POST', `/api/attempts/${attemptId}/cancel`, { token: ops, body: { reason: 'again' } })).status).toBe(409);
  });

  it('dry-runs a migration with its replay proof, then applies it: re-pinned, audited, all or nothing', async () => {
    const sleeping = await asleepInWait();
    const stuck = await start(); // still at the call, which version 2 removes
    await openTask(stuck);
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Sleeper', graph: sleeperV2 } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);

    const dry = await product.api<MigrationVerdict>('POST', `/api/attempts/${sleeping}/migration/dry-run`, { token: ops, body: { toVersion: 2 } });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ canMove: true, fromVersion: 1, toVersion: 2, proof: { replay: 'matches', statesAgree: true } });
    expect(dry.body.steps).toEqual([expect.objectContaining({ fromNodeId: 'wait', action: 'kept' })]);
    expect(dry.body.effects?.after.activeSteps.map((s) => s.nodeId)).toEqual(['wait']);
    // A dry run changes nothing.
    expect((await attemptRow(sleeping)).playbook_version).toBe(1);

    const refused = await product.api<MigrationVerdict>('POST', `/api/attempts/${stuck}/migration/dry-run`, { token: ops, body: { toVersion: 2 } });
    expect(refused.body).toMatchObject({ canMove: false, refusal: { code: 'migration_refused' }, proof: { replay: 'matches' } });
    expect(refused.body.refusal?.reason).toContain('is not in version 2');
    const notApplied = await product.api<{ error: { code: string } }>('POST', `/api/attempts/${stuck}/migrate`, {
      token: ops,
      body: { toVersion: 2, reason: 'move it' },
    });
    expect(notApplied.status).toBe(409);
    expect(notApplied.body.error.code).toBe('migration_refused');
    expect((await attemptRow(stuck)).playbook_version).toBe(1);

    const stale = await product.api<{ error: { code: string } }>('POST', `/api/attempts/${sleeping}/migrate`, {
      token: ops,
      body: { toVersion: 2, reason: 'new path', expectedTransition: (dry.body.transition ?? 0) - 1 },
    });
    expect(stale.body.error.code).toBe('attempt_moved');
    const applied = await product.api<z.infer<typeof OperationApplied>>('POST', `/api/attempts/${sleeping}/migrate`, {
      token: ops,
      body: { toVersion: 2, reason: 'version 2 follows up after the wait', expectedTransition: dry.body.transition! },
    });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ playbookVersion: 2 });
    expect(applied.body.effects.after).toEqual(dry.body.effects?.after);
    await eventually(async () => (await attemptRow(sleeping)).playbook_version === 2, 20_000, 're-pinned to version 2');
    expect((await attemptRow(sleeping)).migrated_from).toBe(1);
    const operations = await product.pool.query('SELECT operation, actor_id, reason, details FROM attempt_operations WHERE attempt_id = $1', [sleeping]);
    expect(operations.rows).toEqual([
      expect.objectContaining({ operation: 'migrate', actor_id: 'u-olga', details: expect.objectContaining({ toVersion: 2, mapping: {} }) }),
    ]);
    // The migrated attempt's history still replays on today's code.
    const again = await product.api<MigrationVerdict>('POST', `/api/attempts/${sleeping}/migration/dry-run`, { token: ops, body: { toVersion: 1 } });
    expect(again.body.proof).toMatchObject({ replay: 'matches', statesAgree: true });
  });

  it('a write PostgreSQL keeps refusing becomes an incident the operator sees, and a retry after the fix carries on', async () => {
    await owner.query("ALTER TABLE tasks ADD CONSTRAINT operate_test_poison CHECK (title <> 'Call the customer') NOT VALID");
    const attemptId = await start();
    const incident = await eventually(
      async () => (await product.pool.query('SELECT * FROM attempt_incidents WHERE attempt_id = $1 AND resolved_at IS NULL', [attemptId])).rows[0],
      30_000,
      'an incident',
    );
    expect(incident).toMatchObject({ code: '23514', message: expect.stringContaining('operate_test_poison') });
    expect((await product.pool.query('SELECT count(*)::int AS n FROM tasks WHERE attempt_id = $1', [attemptId])).rows[0].n).toBe(0);
    // An operation waits for the incident to be dealt with first.
    const blocked = await product.api<{ error: { code: string } }>('POST', `/api/attempts/${attemptId}/cancel`, { token: ops, body: { reason: 'not yet' } });
    expect(blocked.body.error.code).toBe('incident_open');
    expect(
      (await product.api('POST', `/api/attempts/${attemptId}/incidents/${incident.incident_id}/retry`, { token: auditor, body: { reason: 'fixed' } })).status,
    ).toBe(403);

    await owner.query('ALTER TABLE tasks DROP CONSTRAINT operate_test_poison');
    const retried = await product.api('POST', `/api/attempts/${attemptId}/incidents/${incident.incident_id}/retry`, {
      token: ops,
      body: { reason: 'the check was wrong; dropped' },
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ incidentId: incident.incident_id, action: 'retry' });
    const task = await openTask(attemptId);
    expect(task.title).toBe('Call the customer');
    const settled = (await product.pool.query('SELECT resolution, resolved_by FROM attempt_incidents WHERE incident_id = $1', [incident.incident_id])).rows[0];
    expect(settled).toEqual({ resolution: 'retry', resolved_by: 'u-olga' });
    const again = await product.api<{ error: { code: string } }>('POST', `/api/attempts/${attemptId}/incidents/${incident.incident_id}/retry`, {
      token: ops,
      body: { reason: 'twice' },
    });
    expect(again.body.error.code).toBe('no_such_incident');
  });

  it('a batch cancels a selection of attempts as a workflow, with per-attempt verdicts and progress', async () => {
    const attempts = [await start(), await start(), await start()];
    await Promise.all(attempts.map(openTask));
    const ended = await asleepInWait();
    await product.api('POST', `/api/attempts/${ended}/cancel`, { token: ops, body: { reason: 'ended before the batch' } });
    await eventually(async () => (await attemptRow(ended)).status === 'completed');

    expect(
      (await product.api('POST', '/api/operate/batches', { token: head, body: { kind: 'cancel_attempt', attemptIds: attempts, reason: 'season over' } }))
        .status,
    ).toBe(403);
    const bad = await product.api<{ error: { details: { problems: { path: unknown[] }[] } } }>('POST', '/api/operate/batches', {
      token: ops,
      body: { kind: 'cancel_attempt', attemptIds: [...attempts, '00000000-0000-4000-8000-000000000000'], reason: 'season over' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems).toEqual([expect.objectContaining({ path: ['attemptIds', 3] })]);

    const created = await product.api<{ id: string; total: number }>('POST', '/api/operate/batches', {
      token: ops,
      body: { kind: 'cancel_attempt', attemptIds: [...attempts, ended], reason: 'season over' },
    });
    expect(created.status).toBe(202);
    expect(created.body.total).toBe(4);
    const done = await eventually(
      async () => {
        const res = await product.api<z.infer<typeof BatchDetail>>('GET', `/api/operate/batches/${created.body.id}`, { token: auditor });
        return res.body.finishedAt ? res.body : null;
      },
      60_000,
      'the batch to finish',
    );
    expect(done.progress).toEqual({ pending: 0, done: 3, refused: 1, failed: 0 });
    expect(done.items.find((i) => i.attemptId === ended)).toMatchObject({ status: 'refused', verdict: { refusal: { code: 'attempt_not_running' } } });
    for (const id of attempts) expect((await attemptRow(id)).outcome).toBe('cancelled');
  });

  it('a batch made while no API could work on it waits in Temporal and finishes once one is back', async () => {
    const attempts = [await start(), await start()];
    await Promise.all(attempts.map(openTask));
    await product.stopOperationsWorker(); // as if every API replica had gone down
    const created = await product.api<{ id: string }>('POST', '/api/operate/batches', {
      token: ops,
      body: { kind: 'cancel_attempt', attemptIds: attempts, reason: 'restart test' },
    });
    expect(created.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1000));
    const waiting = await product.api<z.infer<typeof BatchDetail>>('GET', `/api/operate/batches/${created.body.id}`, { token: ops });
    expect(waiting.body.progress).toMatchObject({ pending: 2, done: 0 });
    await product.startOperationsWorker();
    const done = await eventually(
      async () => {
        const res = await product.api<z.infer<typeof BatchDetail>>('GET', `/api/operate/batches/${created.body.id}`, { token: ops });
        return res.body.finishedAt ? res.body : null;
      },
      60_000,
      'the batch to finish after the restart',
    );
    expect(done.progress).toEqual({ pending: 0, done: 2, refused: 0, failed: 0 });
  });
});
