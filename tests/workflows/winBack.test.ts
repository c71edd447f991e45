import { tieredWinBackGraph } from '../../playbooks/templates/tieredWinBack';
import { ACTORS, at, DAY, updateRefusal, withRun, type CustomerFields } from '../support/playbookHarness';
import { timeSkippingSuite } from '../support/workflowTest';

const ordinary: CustomerFields = { department: 'after_sales', grade: 'ordinary', value: 4200, accountManager: 'u-rita' };

describe('tiered win-back template on the time-skipping server', () => {
  const { testEnv, pool } = timeSkippingSuite();

  it('reason C: silent at tier 1 for 14 days, declines tier 2, the head approves tier 3, accepted on day 30: won back', async () => {
    await withRun(testEnv, pool, { name: 'win-back-c', graph: tieredWinBackGraph, customer: ordinary }, async (run) => {
      const call = await run.task({ node_id: 'call_back', status: 'open' });
      expect(call).toMatchObject({ assignee_role: 'rep', department_id: 'after_sales', title: 'Call the customer back and record why they stopped coming' });
      // The reason is required: a call-back without one is refused by the workflow itself.
      expect(await updateRefusal(run.complete(call, 'reason_recorded', {}, ACTORS.rita))).toBe('invalid_form');
      await run.complete(call, 'reason_recorded', { churn_reason: 'C', call_notes: 'the independent garage is cheaper' }, ACTORS.rita);

      let view = await run.view();
      expect(at(view)).toEqual(['offer_price']);
      expect(view.variables).toMatchObject({ churn_reason: 'C', 'offer_price.tier': 1 });
      expect(run.commands().find((c) => c.type === 'update_customer')).toMatchObject({ churnReason: 'C', addTags: ['win_back'] });

      // Day 14: tier 1 (5%) expires unanswered and tier 2 (10%) goes out.
      await testEnv.sleep('14 days');
      await run.until((v) => v.variables['offer_price.tier'] === 2, 'tier 2 of the ladder');
      expect(run.offers().map((o) => [o.tier, o.status])).toEqual([
        [1, 'made'],
        [1, 'expired'],
        [2, 'made'],
      ]);

      // Day 19: the customer declines tier 2; 15% is above the threshold of 10, so the head approves first.
      await testEnv.sleep('5 days');
      await run.respond('declined');
      const approval = await run.task({ node_id: 'offer_price', assignee_role: 'department_head', status: 'open' });
      expect(approval).toMatchObject({ title: 'Approve offer: 15% off labour', department_id: 'after_sales', priority: 'high' });
      expect(await updateRefusal(run.complete(approval, 'approved', {}, ACTORS.rita))).toBe('not_allowed');
      await run.complete(approval, 'approved', { approval_note: 'loyal for six years' }, ACTORS.hana);
      const tier3 = await run.until((v) => v.variables['offer_price.tier'] === 3 && v.nextTimer?.purpose === 'offer_validity', 'tier 3 made');
      // Tier 3 is valid for 14 days from the approval on day 19.
      expect(tier3.nextTimer!.firesAt - (await testEnv.currentTimeMs())).toBeGreaterThan(13 * DAY);

      // Day 30: accepted.
      await testEnv.sleep('11 days');
      await run.respond('accepted');
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });

      view = await run.view();
      expect(view.status).toBe('completed');
      expect(view.variables).toMatchObject({ 'offer_price.tier': 3, accepted_offer: '15% off labour' });
      expect(view.visits).toMatchObject({ offer_price: 1, mark_won_back: 1, end_won_back: 1 });
      expect(run.offers().map((o) => [o.tier, o.status])).toEqual([
        [1, 'made'],
        [1, 'expired'],
        [2, 'made'],
        [2, 'declined'],
        [3, 'pending_approval'],
        [3, 'made'],
        [3, 'accepted'],
      ]);
      expect(run.messages('offer').map((m) => m.vars.offer)).toEqual([
        '5% off labour on your next service',
        '10% off labour on your next service',
        '15% off labour on your next service',
      ]);
      const duration = await run.durationMs();
      expect(duration).toBeGreaterThanOrEqual(30 * DAY);
      expect(duration).toBeLessThan(31 * DAY);
      expect((await run.tasks()).map((t) => [t.node_id, t.status, t.completed_by])).toEqual([
        ['call_back', 'completed', 'u-rita'],
        ['offer_price', 'completed', 'u-hana'],
      ]);
    });
  });

  it('reason C, ladder exhausted: declined, expired, head refuses 15%: escalation lands in the head queue of the customer department', async () => {
    const customer: CustomerFields = { department: 'key_accounts', grade: 'high_potential', value: 12_000, accountManager: 'u-kim' };
    await withRun(testEnv, pool, { name: 'win-back-exhausted', graph: tieredWinBackGraph, customer }, async (run) => {
      const call = await run.task({ node_id: 'call_back', status: 'open' });
      expect(call.department_id).toBe('key_accounts');
      await run.complete(call, 'reason_recorded', { churn_reason: 'C', call_notes: null }, ACTORS.kim);

      await testEnv.sleep('3 days');
      await run.respond('declined');
      await run.until((v) => v.variables['offer_price.tier'] === 2, 'tier 2');
      await testEnv.sleep('14 days'); // tier 2 expires unanswered
      const approval = await run.task({ node_id: 'offer_price', assignee_role: 'department_head', status: 'open' }, 'the tier 3 approval');
      await run.complete(approval, 'rejected', { approval_note: 'not for this margin' }, ACTORS.karl);

      const escalation = await run.task({ node_id: 'escalate_exhausted' }, 'the exhausted-ladder escalation');
      expect(escalation).toMatchObject({
        assignee_role: 'department_head',
        department_id: 'key_accounts',
        title: 'Escalation: Win-back offers exhausted without an acceptance',
        priority: 'high',
        status: 'open',
      });
      const view = await run.view();
      expect(at(view)).toEqual(['escalate_exhausted']);
      expect(view.variables).toMatchObject({ 'offer_price.exhausted': true, 'offer_price.tier': 3 });
      expect(run.offers().map((o) => [o.tier, o.status])).toEqual([
        [1, 'made'],
        [1, 'declined'],
        [2, 'made'],
        [2, 'expired'],
        [3, 'pending_approval'],
        [3, 'rejected'],
      ]);
      const elapsed = await run.elapsedMs();
      expect(elapsed).toBeGreaterThanOrEqual(17 * DAY);
      expect(elapsed).toBeLessThan(18 * DAY);
      // The escalation also notifies the head's queue by message.
      expect(run.messages('escalation_notice')).toEqual([
        expect.objectContaining({ recipient: { kind: 'role', role: 'department_head', department: 'key_accounts' } }),
      ]);

      // A head of another department may not take it over.
      expect(await updateRefusal(run.complete(escalation, 'lost', {}, ACTORS.hana))).toBe('not_allowed');
      await run.complete(escalation, 'lost', { decision_note: 'moved to a competitor with a fleet contract' }, ACTORS.karl);
      expect(await run.result()).toEqual({ outcome: 'lost', reason: 'customer could not be won back' });
      expect(
        run
          .commands()
          .filter((c) => c.type === 'update_customer')
          .map((c) => c.status),
      ).toEqual([null, 'lost']);
    });
  });

  it('reason A: the customer is invited and the head of department visits in person', async () => {
    await withRun(testEnv, pool, { name: 'win-back-a', graph: tieredWinBackGraph, customer: ordinary }, async (run) => {
      const call = await run.task({ node_id: 'call_back', status: 'open' });
      await run.complete(call, 'reason_recorded', { churn_reason: 'A', call_notes: 'the technician was rude' }, ACTORS.rita);

      const visit = await run.task({ node_id: 'head_visit' }, 'the head visit task');
      expect(visit).toMatchObject({ assignee_role: 'department_head', department_id: 'after_sales', title: 'Visit the customer in person', status: 'open' });
      expect(visit.due_at).not.toBeNull();
      expect(run.messages('visit_invite')).toEqual([expect.objectContaining({ recipient: { kind: 'customer' }, channel: 'email' })]);
      expect(run.offers()).toEqual([]);

      await testEnv.sleep('4 days');
      await run.complete(
        visit,
        'won_back',
        { visit_date: '2026-03-04', service_failure: 'rude technician; retrained', rescue_plan: 'free inspection' },
        ACTORS.hana,
      );
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });
      const view = await run.view();
      expect(view.visits).toMatchObject({ visit_invite: 1, head_visit: 1, end_won_back: 1 });
      expect(view.visits.offer_price).toBeUndefined();
      expect(view.variables).toMatchObject({ 'head_visit.completedBy': 'u-hana', service_failure: 'rude technician; retrained' });
      const duration = await run.durationMs();
      expect(duration).toBeGreaterThanOrEqual(4 * DAY);
      expect(duration).toBeLessThan(5 * DAY);
    });
  });

  it('reason D: re-introduction, reminders at 7 and 14 days, silence for 21 days, then the call-back routine books a visit', async () => {
    await withRun(testEnv, pool, { name: 'win-back-d', graph: tieredWinBackGraph, customer: ordinary }, async (run) => {
      const call = await run.task({ node_id: 'call_back', status: 'open' });
      await run.complete(call, 'reason_recorded', { churn_reason: 'D', call_notes: 'forgot the service interval' }, ACTORS.rita);
      expect(run.messages('service_reintroduction')).toEqual([expect.objectContaining({ vars: { discount: '10%' } })]);
      expect(at(await run.view())).toEqual(['wait_booking']);

      await testEnv.sleep('7 days');
      await run.until(() => run.messages('reminder').length === 1, 'the first reminder');
      expect(run.messages('reminder')[0]).toMatchObject({
        channel: 'sms',
        vars: { reminder_text: 'your regular service is due; book ahead and we take 10% off.' },
      });
      await testEnv.sleep('7 days');
      await run.until(() => run.messages('reminder').length === 2, 'the second reminder');
      expect(run.messages('reminder')[1].channel).toBe('phone_reminder');
      expect(at(await run.view())).toEqual(['wait_booking']);
      expect(await run.tasks()).toHaveLength(1);

      await testEnv.sleep('7 days');
      const booking = await run.task({ node_id: 'booking_call' }, 'the call-back routine task');
      expect(booking).toMatchObject({ assignee_role: 'rep', department_id: 'after_sales', status: 'open' });
      expect(await run.elapsedMs()).toBeGreaterThanOrEqual(21 * DAY);
      await run.complete(booking, 'booked', { booking_date: '2026-04-02', next_contact: '2026-10-01' }, ACTORS.rita);
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });
      expect(run.messages('reminder')).toHaveLength(2);
    });
  });

  it('a core customer goes to the head first; handed back, reason B runs the convenience ladder', async () => {
    const core: CustomerFields = { department: 'key_accounts', grade: 'core', value: 125_000, accountManager: 'u-kim' };
    await withRun(testEnv, pool, { name: 'win-back-core', graph: tieredWinBackGraph, customer: core }, async (run) => {
      const call = await run.task({ node_id: 'call_back', status: 'open' });
      await run.complete(call, 'reason_recorded', { churn_reason: 'B', call_notes: 'moved across town' }, ACTORS.kim);

      const early = await run.task({ node_id: 'escalate_early' }, 'the early escalation');
      expect(early).toMatchObject({
        assignee_role: 'department_head',
        department_id: 'key_accounts',
        title: 'Escalation: A high-value customer is about to leave',
        status: 'open',
      });
      expect(run.offers()).toEqual([]);
      await testEnv.sleep('1 day');
      await run.complete(early, 'follow_plan', { decision_note: 'called them; try the convenience offers' }, ACTORS.karl);

      expect(at(await run.view())).toEqual(['offer_convenience']);
      await testEnv.sleep('2 days');
      await run.respond('declined');
      await run.until((v) => v.variables['offer_convenience.tier'] === 2, 'tier 2 of the convenience ladder');
      await run.respond('accepted');
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });
      expect(run.offers().map((o) => [o.label, o.status])).toEqual([
        ['Free pick-up and drop-off', 'made'],
        ['Free pick-up and drop-off', 'declined'],
        ['Courtesy car', 'made'],
        ['Courtesy car', 'accepted'],
      ]);
      // Service incentives never need approval.
      expect((await run.tasks()).map((t) => t.node_id)).toEqual(['call_back', 'escalate_early']);
    });
  });
});
