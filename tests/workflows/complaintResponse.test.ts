import { complaintResponseGraph } from '../../playbooks/templates/complaintResponse';
import { ACTORS, at, DAY, HOUR, withRun, type CustomerFields, type Run } from '../support/playbookHarness';
import { timeSkippingSuite } from '../support/workflowTest';

const customer: CustomerFields = { department: 'after_sales', grade: 'ordinary', value: 4200, accountManager: 'u-rita' };

/** Acknowledge, record and investigate: the first half every complaint goes through. */
async function acknowledgeRecordInvestigate(run: Run, finding: 'founded' | 'unfounded'): Promise<void> {
  await run.complete(await run.task({ node_id: 'acknowledge', assignee_role: 'rep' }), 'acknowledged', { handler: 'Rita' }, ACTORS.rita);
  await run.complete(
    await run.task({ node_id: 'record' }),
    'recorded',
    { complaint_summary: 'brakes squeak after the service', complaint_category: 'product', customer_expectation: null },
    ACTORS.rita,
  );
  await run.complete(
    await run.task({ node_id: 'investigate' }),
    finding,
    { findings: finding === 'founded' ? 'a pad was fitted wrongly' : 'the pads are within spec' },
    ACTORS.rita,
  );
}

describe('complaint response template on the time-skipping server', () => {
  const { testEnv, pool } = timeSkippingSuite();

  it('a missed 4-hour acknowledgement lands an escalation in the head queue; then the happy path to resolved', async () => {
    await withRun(testEnv, pool, { name: 'complaint-happy', graph: complaintResponseGraph, customer }, async (run) => {
      const ack = await run.task({ node_id: 'acknowledge', assignee_role: 'rep' });
      expect(ack).toMatchObject({ title: 'Acknowledge the complaint', department_id: 'after_sales', priority: 'high', status: 'open' });
      expect(ack.due_at).not.toBeNull();

      // Three hours: still within the SLA, nothing for the head.
      await testEnv.sleep('3 hours');
      expect((await run.tasks()).filter((t) => t.assignee_role === 'department_head')).toEqual([]);
      // Five hours: the SLA is missed.
      await testEnv.sleep('2 hours');
      const escalation = await run.task({ node_id: 'acknowledge', assignee_role: 'department_head' }, 'the SLA escalation');
      expect(escalation).toMatchObject({ title: 'Escalation: Acknowledge the complaint', department_id: 'after_sales', priority: 'urgent', status: 'open' });
      expect((await run.tasks()).find((t) => t.task_key === ack.task_key)?.status).toBe('open');

      await run.complete(ack, 'acknowledged', { handler: 'Rita' }, ACTORS.rita);
      expect(run.messages('complaint_ack')).toEqual([expect.objectContaining({ recipient: { kind: 'customer' }, vars: { handler: '{{handler}}' } })]);
      // What the customer gets names the handler, with no template syntax left.
      const ackBody = (await pool.query("SELECT body FROM outbox_messages WHERE attempt_id = $1 AND template = 'complaint_ack'", [run.attemptId])).rows[0]
        ?.body;
      expect(ackBody).toContain('Rita is looking into it');
      expect(ackBody).not.toContain('{{');
      // Acknowledging closes the head's escalation with it.
      expect((await run.tasks()).find((t) => t.task_key === escalation.task_key)?.status).toBe('cancelled');

      await run.complete(
        await run.task({ node_id: 'record' }),
        'recorded',
        { complaint_summary: 'brakes squeak after the service', complaint_category: 'product', customer_expectation: 'fix it for free' },
        ACTORS.rita,
      );
      await testEnv.sleep('1 day');
      await run.complete(await run.task({ node_id: 'investigate' }), 'founded', { findings: 'a pad was fitted wrongly' }, ACTORS.rita);
      await testEnv.sleep('1 day');
      await run.complete(
        await run.task({ node_id: 'fix' }),
        'fixed',
        { solution: 'we refitted the brake pads free of charge', internal_cause: 'new mechanic, no checklist' },
        ACTORS.rita,
      );
      expect(run.messages('solution_report')).toEqual([expect.objectContaining({ channel: 'email', vars: { solution: '{{solution}}' } })]);
      const reportBody = (await pool.query("SELECT body FROM outbox_messages WHERE attempt_id = $1 AND template = 'solution_report'", [run.attemptId])).rows[0]
        ?.body;
      expect(reportBody).toContain('we refitted the brake pads free of charge');
      expect(reportBody).not.toContain('{{');
      expect(at(await run.view())).toEqual(['verdict']);

      await testEnv.sleep('3 days');
      await run.respond('satisfied');
      const close = await run.task({ node_id: 'close' }, 'the close-out task');
      await run.complete(close, 'closed', { closing_details: 'pads refitted, customer satisfied, mechanic retrained' }, ACTORS.rita);

      expect(await run.result()).toEqual({
        outcome: 'resolved',
        reason: 'complaint resolved and closed; handler, closing date and details in the close-out form',
      });
      const view = await run.view();
      // Who handled it, what was done and when it closed are all in the record.
      expect(view.variables).toMatchObject({
        handler: 'Rita',
        'close.completedBy': 'u-rita',
        closing_details: 'pads refitted, customer satisfied, mechanic retrained',
        solution: 'we refitted the brake pads free of charge',
      });
      expect(view.visits).toMatchObject({ fix: 1, report: 1, verdict: 1, close: 1, end_resolved: 1 });
      expect(view.visits.escalate_unhappy).toBeUndefined();
      const duration = await run.durationMs();
      expect(duration).toBeGreaterThanOrEqual(5 * DAY + 5 * HOUR);
      expect(duration).toBeLessThan(5 * DAY + 6 * HOUR);
      expect(
        run
          .commands()
          .filter((c) => c.type === 'update_customer')
          .map((c) => c.status),
      ).toEqual(['retained']);
      expect((await run.tasks()).map((t) => [t.node_id, t.assignee_role, t.status])).toEqual([
        ['acknowledge', 'rep', 'completed'],
        ['acknowledge', 'department_head', 'cancelled'],
        ['record', 'rep', 'completed'],
        ['investigate', 'rep', 'completed'],
        ['fix', 'rep', 'completed'],
        ['close', 'rep', 'completed'],
      ]);
    });
  });

  it('an unhappy verdict escalates to the head; not resolved ends the attempt as lost', async () => {
    await withRun(testEnv, pool, { name: 'complaint-unhappy', graph: complaintResponseGraph, customer }, async (run) => {
      await acknowledgeRecordInvestigate(run, 'unfounded');
      await run.complete(
        await run.task({ node_id: 'explain' }),
        'explained',
        { solution: 'the pads are within spec; the squeak is normal for a day' },
        ACTORS.rita,
      );
      expect(run.messages('solution_report')).toHaveLength(1);

      await testEnv.sleep('2 days');
      await run.respond('unsatisfied');
      const escalation = await run.task({ node_id: 'escalate_unhappy' }, 'the escalation to the head');
      expect(escalation).toMatchObject({
        assignee_role: 'department_head',
        department_id: 'after_sales',
        title: 'Escalation: Customer still unhappy after the complaint was handled',
        priority: 'urgent',
        status: 'open',
      });
      expect(escalation.due_at).not.toBeNull();
      expect(at(await run.view())).toEqual(['escalate_unhappy']);
      expect(run.messages('escalation_notice')).toHaveLength(1);

      await run.complete(escalation, 'not_resolved', { decision_note: 'customer insists on a refund we cannot give' }, ACTORS.hana);
      expect(await run.result()).toEqual({ outcome: 'lost', reason: 'the head of department could not resolve the complaint' });
      expect(run.commands().filter((c) => c.type === 'update_customer')).toEqual([expect.objectContaining({ status: 'lost', churnType: 'fault' })]);
      const duration = await run.durationMs();
      expect(duration).toBeGreaterThanOrEqual(2 * DAY);
      expect(duration).toBeLessThan(3 * DAY);
    });
  });

  it('silence after the report: a reminder on day 7, a follow-up call on day 14, still unhappy, the head resolves it', async () => {
    await withRun(testEnv, pool, { name: 'complaint-silent', graph: complaintResponseGraph, customer }, async (run) => {
      await acknowledgeRecordInvestigate(run, 'founded');
      await run.complete(await run.task({ node_id: 'fix' }), 'fixed', { solution: 'pads refitted', internal_cause: null }, ACTORS.rita);

      await testEnv.sleep('8 days');
      await run.until(() => run.messages('reminder').length === 1, 'the reminder');
      expect(at(await run.view())).toEqual(['verdict']);
      await testEnv.sleep('7 days');
      const followUp = await run.task({ node_id: 'follow_up' }, 'the follow-up call');
      expect(followUp).toMatchObject({ assignee_role: 'rep', status: 'open' });
      await run.complete(followUp, 'unsatisfied', { follow_up_notes: 'still squeaks' }, ACTORS.rita);

      const escalation = await run.task({ node_id: 'escalate_unhappy' }, 'the escalation to the head');
      await run.complete(escalation, 'resolved', { decision_note: 'replaced the discs as a goodwill gesture' }, ACTORS.hana);
      await run.complete(await run.task({ node_id: 'close' }), 'closed', { closing_details: 'discs replaced by the head' }, ACTORS.rita);
      expect(await run.result()).toEqual({
        outcome: 'resolved',
        reason: 'complaint resolved and closed; handler, closing date and details in the close-out form',
      });
      expect((await run.view()).visits).toMatchObject({ verdict: 1, follow_up: 1, escalate_unhappy: 1, close: 1 });
      expect(await run.durationMs()).toBeGreaterThanOrEqual(14 * DAY);
    });
  });
});
