import { commitmentOfferGraph } from '../../playbooks/templates/commitmentOffer';
import { ACTORS, at, DAY, updateRefusal, withRun, type CustomerFields, type Run } from '../support/playbookHarness';
import { timeSkippingSuite } from '../support/workflowTest';

const core: CustomerFields = { department: 'key_accounts', grade: 'core', value: 125_000, accountManager: 'u-kim' };
/** 12 contract months of 30 days each (the commitment node's exact month). */
const TERM = 360 * DAY;

/** The account manager drafts, the head approves: the agreement goes out for signature. */
async function draftAndApprove(run: Run): Promise<void> {
  const draft = await run.task({ node_id: 'draft_terms' });
  // The draft goes to the customer's own account manager, by name.
  expect(draft).toMatchObject({ assignee_role: 'rep', assignee_user_id: 'u-kim', department_id: 'key_accounts', status: 'open' });
  await run.complete(draft, 'drafted', { terms_summary: '12 months, 8% off, priority service', annual_spend_commitment: 60_000 }, ACTORS.kim);
  const approval = await run.task({ node_id: 'agreement', assignee_role: 'department_head' }, 'the approval task');
  expect(approval).toMatchObject({ title: 'Approve agreement terms: 12 months, 8% off', department_id: 'key_accounts', status: 'open' });
  expect(await updateRefusal(run.complete(approval, 'approved', {}, ACTORS.kim))).toBe('not_allowed');
  await run.complete(approval, 'approved', { approval_note: 'worth it' }, ACTORS.karl);
  expect(run.messages('commitment_offer')).toEqual([
    expect.objectContaining({ recipient: { kind: 'customer' }, vars: expect.objectContaining({ term_months: 12, discount: '8%' }) }),
  ]);
}

describe('long-term commitment template on the time-skipping server', () => {
  const { testEnv, pool } = timeSkippingSuite();

  it('approved, reminded, signed on day 6, check-ins every 13 weeks over 12 months: retained when the term is fulfilled', async () => {
    await withRun(testEnv, pool, { name: 'commitment-term', graph: commitmentOfferGraph, customer: core }, async (run) => {
      await draftAndApprove(run);

      await testEnv.sleep('6 days');
      await run.until(() => run.messages('reminder').length === 1, 'the signature reminder on day 5');
      // Measured before signing, so the term (which starts at the signature) ends at least TERM later.
      const signedAt = await run.elapsedMs();
      await run.respond('signed');
      await run.until((v) => v.variables.agreement_signed === true, 'the signature');

      // First quarterly check-in, for the account manager.
      await testEnv.sleep('91 days');
      const checkIn = await run.task({ node_id: 'agreement', title: 'Agreement check-in' }, 'the first check-in');
      expect(checkIn).toMatchObject({ assignee_role: 'rep', assignee_user_id: 'u-kim', department_id: 'key_accounts', status: 'open' });
      await run.complete(checkIn, 'on_track', { check_in_notes: 'all vehicles serviced with us, no issues' }, ACTORS.kim);
      expect(at(await run.view())).toEqual(['agreement']);
      // The reminder schedule ended with the signature: the P10D reminder never went out.
      expect(run.messages('reminder')).toHaveLength(1);

      // Second quarter: a check-in nobody gets to yet; the term runs on regardless.
      await testEnv.sleep('91 days');
      await run.until(
        () => run.commands().filter((c) => c.type === 'create_task' && c.task.title === 'Agreement check-in').length === 2,
        'the second check-in',
      );
      expect((await run.view()).status).toBe('running');

      expect(await run.result()).toEqual({ outcome: 'retained', reason: 'long-term agreement fulfilled over its term' });
      const duration = await run.durationMs();
      expect(duration - signedAt).toBeGreaterThanOrEqual(TERM);
      expect(duration).toBeGreaterThanOrEqual(TERM + 6 * DAY);
      expect(duration).toBeLessThan(TERM + 7 * DAY);

      const checkIns = (await run.tasks()).filter((t) => t.title === 'Agreement check-in');
      // Weeks 13, 26 and 39 of the term (days 91, 182, 273); the term ends on day 360.
      expect(checkIns).toHaveLength(3);
      expect(checkIns[0]).toMatchObject({ status: 'completed', outcome: 'on_track', completed_by: 'u-kim' });
      // Whatever was still open when the term ended was closed with it.
      expect(checkIns.slice(1).map((t) => t.status)).toEqual(checkIns.slice(1).map(() => 'cancelled'));
      expect(
        run
          .commands()
          .filter((c) => c.type === 'record_agreement')
          .map((c) => c.status),
      ).toEqual(['proposed', 'signed', 'fulfilled']);
      expect(run.commands().filter((c) => c.type === 'update_customer')).toEqual([
        expect.objectContaining({ status: 'retained', addTags: ['long_term_agreement'] }),
      ]);
    });
  });

  it('declined: the head gets the case and records the customer as lost', async () => {
    await withRun(testEnv, pool, { name: 'commitment-declined', graph: commitmentOfferGraph, customer: core }, async (run) => {
      await draftAndApprove(run);
      await testEnv.sleep('3 days');
      await run.respond('declined');

      const escalation = await run.task({ node_id: 'escalate_declined' }, 'the escalation on decline');
      expect(escalation).toMatchObject({
        assignee_role: 'department_head',
        department_id: 'key_accounts',
        title: 'Escalation: The customer declined or did not sign the long-term agreement',
        priority: 'high',
        status: 'open',
      });
      expect(at(await run.view())).toEqual(['escalate_declined']);
      await run.complete(escalation, 'lost', { decision_note: 'signed with a competitor' }, ACTORS.karl);
      expect(await run.result()).toEqual({ outcome: 'lost', reason: 'the agreement was declined or breached and the customer left' });
      expect(
        run
          .commands()
          .filter((c) => c.type === 'record_agreement')
          .map((c) => c.status),
      ).toEqual(['proposed', 'declined']);
      const duration = await run.durationMs();
      expect(duration).toBeGreaterThanOrEqual(3 * DAY);
      expect(duration).toBeLessThan(4 * DAY);
    });
  });

  it('no signature within 14 days: two reminders, then the head takes over and keeps the customer', async () => {
    await withRun(testEnv, pool, { name: 'commitment-silent', graph: commitmentOfferGraph, customer: core }, async (run) => {
      await draftAndApprove(run);
      await testEnv.sleep('15 days');
      const escalation = await run.task({ node_id: 'escalate_declined' }, 'the escalation on no signature');
      expect(run.messages('reminder')).toHaveLength(2);
      await run.complete(escalation, 'retained', { decision_note: 'agreed a 6-month trial instead' }, ACTORS.karl);
      expect(await run.result()).toEqual({ outcome: 'retained', reason: 'the head of department kept the customer without the agreement' });
      expect(
        run
          .commands()
          .filter((c) => c.type === 'record_agreement')
          .map((c) => c.status),
      ).toEqual(['proposed', 'expired']);
    });
  });

  it('a breach found at a check-in escalates urgently to the head', async () => {
    await withRun(testEnv, pool, { name: 'commitment-breach', graph: commitmentOfferGraph, customer: core }, async (run) => {
      await draftAndApprove(run);
      await run.respond('signed');
      await run.until((v) => v.variables.agreement_signed === true, 'the signature');
      await testEnv.sleep('91 days');
      const checkIn = await run.task({ node_id: 'agreement', title: 'Agreement check-in' }, 'the first check-in');
      await run.complete(checkIn, 'breach', { check_in_notes: 'half the fleet went to another garage' }, ACTORS.kim);
      const escalation = await run.task({ node_id: 'escalate_breach' }, 'the breach escalation');
      expect(escalation).toMatchObject({ assignee_role: 'department_head', department_id: 'key_accounts', priority: 'urgent', status: 'open' });
      await run.complete(escalation, 'lost', { decision_note: 'breach terms applied' }, ACTORS.karl);
      expect(await run.result()).toEqual({ outcome: 'lost', reason: 'the agreement was declined or breached and the customer left' });
      expect(
        run
          .commands()
          .filter((c) => c.type === 'record_agreement')
          .map((c) => c.status),
      ).toEqual(['proposed', 'signed', 'breached']);
    });
  });

  it('an ordinary low-value customer is not offered an agreement', async () => {
    const ordinary: CustomerFields = { department: 'after_sales', grade: 'ordinary', value: 4200, accountManager: null };
    await withRun(testEnv, pool, { name: 'commitment-ineligible', graph: commitmentOfferGraph, customer: ordinary }, async (run) => {
      expect(await run.result()).toEqual({ outcome: 'closed', reason: 'not a high-value customer: use the tiered win-back instead' });
      expect(await run.tasks()).toEqual([]);
    });
  });
});
