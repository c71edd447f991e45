import { TEMPLATES } from '../../playbooks/templates';
import type { Actor } from '../../playbooks/runtime/types';
import { ACTORS, at, DAY, updateRefusal, withRun, type CustomerFields } from '../support/playbookHarness';
import { timeSkippingSuite } from '../support/workflowTest';

const triage = TEMPLATES.find((t) => t.key === 'natural-churn-triage')!.graph;
const customer: CustomerFields = { department: 'after_sales', grade: 'ordinary', value: 8000, accountManager: 'u-rita' };
const olga: Actor = { userId: 'u-olga', role: 'ops_manager', department: null };

/** The churn triage template on the time-skipping server: each churn type's branch, with the real persistence activity. */
describe('natural-churn triage on the time-skipping server', () => {
  const { testEnv, pool } = timeSkippingSuite();

  it('malicious: the churn type is recorded, the credit check fills the credit file, a poor rating puts the customer on hold', async () => {
    await withRun(testEnv, pool, { name: 'triage-malicious', graph: triage, customer, variables: { churn_type: 'malicious' } }, async (run) => {
      const check = await run.task({ node_id: 'credit', status: 'open' });
      expect(check).toMatchObject({ assignee_role: 'rep', department_id: 'after_sales', title: 'Check the customer’s credit', priority: 'high' });
      // The rating is required and on a list: the workflow itself refuses anything else.
      expect(await updateRefusal(run.complete(check, 'checked', { credit_rating: 'excellent', outstanding_balance: 10 }, ACTORS.rita))).toBe('invalid_form');
      await testEnv.sleep('1 day');
      await run.complete(check, 'checked', { credit_rating: 'poor', outstanding_balance: 4200, credit_notes: 'three invoices unpaid' }, ACTORS.rita);
      expect(await run.result()).toEqual({ outcome: 'lost', reason: 'left owing us: on credit hold' });

      const file = await pool.query('SELECT rating, outstanding_balance::float AS balance FROM credit_files WHERE customer_id = $1', [run.customerId]);
      expect(file.rows).toEqual([{ rating: 'poor', balance: 4200 }]);
      const checks = await pool.query('SELECT rating, checked_by, notes FROM credit_checks WHERE customer_id = $1', [run.customerId]);
      expect(checks.rows).toEqual([{ rating: 'poor', checked_by: 'u-rita', notes: 'three invoices unpaid' }]);
      const row = await pool.query('SELECT churn_type, status, tags FROM customers WHERE id = $1', [run.customerId]);
      expect(row.rows[0]).toMatchObject({ churn_type: 'malicious', status: 'lost', tags: expect.arrayContaining(['credit_hold', 'triage']) });
      expect(run.messages('escalation_notice')).toEqual([expect.objectContaining({ recipient: { kind: 'user', userId: 'u-rita' } })]);
    });
  });

  it('competitive: the head’s visit wins on day 3; the offer ladder is ended, its tier closed and its timer with it', async () => {
    await withRun(testEnv, pool, { name: 'triage-competitive', graph: triage, customer, variables: { churn_type: 'competitive' } }, async (run) => {
      const visit = await run.task({ node_id: 'visit', status: 'open' });
      expect(visit).toMatchObject({ assignee_role: 'department_head', department_id: 'after_sales' });
      await run.until((v) => v.variables['ladder.tier'] === 1, 'tier 1 on the table');
      await testEnv.sleep('3 days');
      await run.complete(visit, 'won_back', { visit_notes: 'the rival could not match our service' }, ACTORS.hana);
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });
      const elapsed = await run.durationMs();
      expect(elapsed).toBeGreaterThanOrEqual(3 * DAY);
      expect(elapsed).toBeLessThan(4 * DAY);
      // Tier 1 was withdrawn when the visit won; no tier 2 ever went out.
      expect(run.offers().map((o) => [o.tier, o.status])).toEqual([
        [1, 'made'],
        [1, 'expired'],
      ]);
      expect(run.commands()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'record', kind: 'join', name: 'first_arrived', data: { cancelled: ['ladder'], names: ['Offer ladder'] } }),
        ]),
      );
    });
  });

  it('competitive: the customer accepts the offer first; the head’s open visit task is closed as cancelled', async () => {
    await withRun(testEnv, pool, { name: 'triage-offer-first', graph: triage, customer, variables: { churn_type: 'competitive' } }, async (run) => {
      await run.task({ node_id: 'visit', status: 'open' });
      await run.until((v) => v.variables['ladder.tier'] === 1, 'tier 1 on the table');
      await testEnv.sleep('2 days');
      await run.respond('accepted');
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });
      expect((await run.tasks()).map((t) => [t.node_id, t.status])).toEqual([['visit', 'cancelled']]);
    });
  });

  it('fault: the unresolved complaint climbs the chain, account manager (2 days) → head (3 days) → a named director, who resolves it', async () => {
    await withRun(testEnv, pool, { name: 'triage-fault', graph: triage, customer, variables: { churn_type: 'fault' } }, async (run) => {
      const complaint = await run.task({ node_id: 'complaint', status: 'open' });
      await run.complete(complaint, 'not_fixed', { complaint_summary: 'the repair failed twice' }, ACTORS.rita);
      const manager = await run.task({ node_id: 'escalate_fault', status: 'open' });
      expect(manager).toMatchObject({ assignee_user_id: 'u-rita', priority: 'high' });

      await testEnv.sleep('2 days');
      const headTask = await run.task({ node_id: 'escalate_fault', assignee_role: 'department_head', status: 'open' }, 'the head’s level');
      expect(headTask).toMatchObject({ department_id: 'after_sales', priority: 'urgent' });
      expect((await run.tasks()).find((t) => t.task_key === manager.task_key)?.status).toBe('cancelled');

      await testEnv.sleep('3 days');
      const director = await run.task({ node_id: 'escalate_fault', assignee_role: 'ops_manager', status: 'open' }, 'the director’s level');
      expect(director).toMatchObject({ assignee_user_id: 'u-olga', department_id: null });
      // Only the named director (or an admin or a head) may take the last level; a rep may not.
      expect(await updateRefusal(run.complete(director, 'resolved', {}, ACTORS.kim))).toBe('not_allowed');
      await run.complete(director, 'resolved', { decision_note: 'replaced the unit and waived the fee' }, olga);
      expect(await run.result()).toEqual({ outcome: 'retained', reason: 'complaint resolved' });
      expect(run.messages('escalation_notice').map((m) => m.recipient)).toEqual([
        { kind: 'user', userId: 'u-rita' },
        { kind: 'role', role: 'department_head', department: 'after_sales' },
        { kind: 'user', userId: 'u-olga' },
      ]);
    });
  });

  it('natural: the experiment’s arm decides, and a decision on it sends the new-line arm to a cost check', async () => {
    await withRun(testEnv, pool, { name: 'triage-natural', graph: triage, customer, variables: { churn_type: 'natural' } }, async (run) => {
      const view = await run.until((v) => typeof v.variables['natural_split.arm'] === 'string', 'the arm');
      const arm = view.variables['natural_split.arm'];
      expect(['new_line', 'record_only']).toContain(arm);
      if (arm === 'new_line') {
        expect(at(await run.view())).toEqual(['cost_check']);
        await run.complete(await run.task({ node_id: 'cost_check' }), 'not_worth_it', {}, ACTORS.rita);
      }
      expect(await run.result()).toEqual({ outcome: 'closed', reason: 'natural churn: the customer’s business changed' });
      const row = await pool.query('SELECT churn_type FROM customers WHERE id = $1', [run.customerId]);
      expect(row.rows[0]).toEqual({ churn_type: 'natural' });
    });
  });
});
