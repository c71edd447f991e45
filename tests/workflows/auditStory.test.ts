import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { compilePlaybook } from '../../playbooks/compile';
import { tieredWinBackGraph } from '../../playbooks/templates/tieredWinBack';
import type { HistoryJson } from '../../server/audit/history';
import { closeReplayer, verifyReplay } from '../../server/audit/replay';
import { buildStory } from '../../server/audit/timeline';
import { ACTORS, withRun, type CustomerFields } from '../support/playbookHarness';
import { env } from '../support/product';
import { timeSkippingSuite } from '../support/workflowTest';

const ordinary: CustomerFields = { department: 'after_sales', grade: 'ordinary', value: 4200, accountManager: 'u-rita' };

/** The auditor's view of a real tiered win-back: escalation, ladder, won back; told and verified. */
describe('audit story of a tiered win-back', () => {
  // Declared first, so the replay worker closes before the server is torn down, as it always has.
  afterAll(() => closeReplayer());
  const { testEnv, pool } = timeSkippingSuite();

  it('timeline event by event, the path taken, and a verified replay that matches (then a tampered one that does not)', async () => {
    let history: HistoryJson | null = null;
    await withRun(testEnv, pool, { name: 'audit-win-back', graph: tieredWinBackGraph, customer: ordinary }, async (run) => {
      // Nobody calls for 4 days: the 3-day SLA escalates to the head; then rita calls.
      await testEnv.sleep('4 days');
      await run.task({ node_id: 'call_back', assignee_role: 'department_head', status: 'open' });
      const call = await run.task({ node_id: 'call_back', assignee_role: 'rep', status: 'open' });
      await run.complete(call, 'reason_recorded', { churn_reason: 'C', call_notes: 'cheaper elsewhere' }, ACTORS.rita);
      await run.respond('accepted'); // tier 1 accepted straight away
      expect(await run.result()).toEqual({ outcome: 'won_back', reason: 'customer came back' });
      const raw = await run.handle.fetchHistory();
      history = JSON.parse(historyToJSON(temporal.api.history.v1.History.fromObject(raw))) as HistoryJson;
    });

    const plan = compilePlaybook(tieredWinBackGraph).plan!;
    const story = buildStory(history!, plan);
    const meaningful = story.timeline.filter((e) => !['step_entered', 'step_left', 'variables_changed'].includes(e.kind)).map((e) => e.kind);
    expect(meaningful).toEqual([
      'run_started',
      'task_created', // call back the customer
      'timer_fired', // the SLA ran out
      'sla_missed',
      'task_created', // the head's escalation task
      'task_completed', // rita records reason C
      'task_cancelled', // the escalation closes with it
      'customer_updated',
      'offer_made',
      'message_sent',
      'customer_answered',
      'offer_accepted',
      'customer_updated',
      'outcome',
      'run_completed',
    ]);
    const completed = story.timeline.find((e) => e.kind === 'task_completed')!;
    expect(completed.actor).toEqual({ userId: 'u-rita', role: 'rep' });
    expect(completed.details).toMatchObject({ outcome: 'reason_recorded', form: { churn_reason: 'C' } });
    expect(story.timeline.find((e) => e.kind === 'sla_missed')!.summary).toContain('level 1');
    // The path: one visit per node on the way, the edges that were taken.
    expect(story.path.nodes.call_back).toBe(1);
    expect(story.path.nodes.offer_price).toBe(1);
    expect(story.path.edges['call_back:reason_recorded']).toBe(1);
    expect(story.path.edges['offer_price:accepted']).toBe(1);
    expect(story.path.edges['offer_price:exhausted']).toBeUndefined();
    // The scrubber: while the offer waited, the tier was 1 and the offer step was active.
    const waiting = story.snapshots.find((s) => s.activeNodeIds.includes('offer_price'));
    expect(waiting?.variables['offer_price.tier']).toBe(1);
    expect(waiting?.nextTimerAt).not.toBeNull();

    expect(await verifyReplay([{ runId: null, history: history! }], env().workflowBundle)).toMatchObject({ result: 'matches' });
    const tampered = JSON.parse(JSON.stringify(history)) as HistoryJson;
    // Someone rewrote the history so that the run scheduled different work than the code decides.
    // Its transitions are stored by local activities: the third one's marker now names other work.
    const stores = tampered.events.filter((e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED' && JSON.stringify(e).includes('core_local_activity'));
    expect(stores.length).toBeGreaterThan(3);
    const details = (stores[2].markerRecordedEventAttributes as { details: { data: { payloads: { data: string }[] } } }).details;
    const data = JSON.parse(Buffer.from(details.data.payloads[0].data, 'base64').toString('utf8')) as { activity_type: string };
    details.data.payloads[0].data = Buffer.from(JSON.stringify({ ...data, activity_type: 'grantDiscount' })).toString('base64');
    const verdict = await verifyReplay([{ runId: null, history: tampered }], env().workflowBundle);
    expect(verdict).toMatchObject({ result: 'diverged', message: expect.stringMatching(/[Nn]ondeterminism/) });
  });
});
