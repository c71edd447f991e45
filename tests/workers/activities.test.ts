import type { Pool } from 'pg';
import type { Actor } from '../../playbooks/runtime/types';
import { createPool } from '../../platform/db/pool';
import { createActivities } from '../../workers/activities';
import type { AttemptIdentity } from '../../workflows/activityContract';
import { env } from '../support/product';
import { activityOptions, attemptMaker, createTask, DAY, transition } from './attempts';

/**
 * The persistence activity and its effects on the suite's real PostgreSQL: Temporal redelivers an
 * activity whenever a worker or the database fails mid-way, so applying a transition again must
 * leave exactly the rows the first application left (no second task, message, contact or audit row).
 */
const rita: Actor = { userId: 'u-rita', role: 'rep', department: 'after_sales' };

describe('persistTransition', () => {
  const pool: Pool = createPool(env().databaseUrl);
  const activities = createActivities(pool, activityOptions);
  let newAttempt: () => Promise<AttemptIdentity>;

  beforeAll(async () => {
    newAttempt = await attemptMaker(pool, 'workers');
  });
  afterAll(() => pool.end());

  /** Every row the activity writes for an attempt, without the columns a conflict update touches (updated_at). */
  async function rowsOf(attemptId: string) {
    const q = async (sql: string) => (await pool.query(sql, [attemptId])).rows;
    return {
      attempt: await q('SELECT id, status, outcome, current_node_ids, variables, last_transition, first_run_id FROM recovery_attempts WHERE id = $1'),
      tasks: await q('SELECT id, task_key, status, outcome, form_data, completed_by FROM tasks WHERE attempt_id = $1 ORDER BY task_key'),
      messages: await q('SELECT id, message_key, template, subject, body, link_url FROM outbox_messages WHERE attempt_id = $1 ORDER BY message_key'),
      links: await q('SELECT token_hash, purpose, ref, tier, offer_text FROM answer_links WHERE attempt_id = $1 ORDER BY token_hash'),
      offers: await q('SELECT offer_key, tier, label, status FROM offers WHERE attempt_id = $1 ORDER BY offer_key'),
      contacts: await q('SELECT id, kind, channel, summary, by_user_id, source_key FROM contacts WHERE attempt_id = $1 ORDER BY source_key'),
      audit: await q('SELECT id, action, actor_id, subject, details FROM audit_log WHERE attempt_id = $1 ORDER BY id'),
    };
  }

  it('a transition applied twice leaves the same rows, and the start is audited once', async () => {
    const attempt = await newAttempt();
    const first = transition(attempt, 1, [
      createTask('call'),
      {
        type: 'record_offer',
        offerKey: 'ladder:1',
        nodeId: 'ladder',
        tier: 1,
        label: 'Small',
        incentive: { type: 'percent', value: 5, description: '5% off' },
        status: 'made',
        validUntil: Date.now() + 7 * DAY,
      },
      {
        type: 'send_message',
        messageKey: 'ladder:1:offer',
        channel: 'email',
        recipient: { kind: 'customer' },
        template: 'offer',
        vars: { offer: '5% off' },
        link: { purpose: 'offer', ref: 'ladder:1', expiresAt: Date.now() + 7 * DAY, nodeId: 'ladder', stepId: 's2', tier: 1, text: '5% off' },
      },
      { type: 'update_customer', status: null, addTags: ['win_back'], removeTags: [], churnType: 'competitive', churnReason: 'C' },
    ]);

    await activities.persistTransition(first);
    const once = await rowsOf(attempt.attemptId);
    await activities.persistTransition(first);
    expect(await rowsOf(attempt.attemptId)).toEqual(once);

    expect(once.tasks).toHaveLength(1);
    expect(once.messages).toHaveLength(1);
    expect(once.links).toHaveLength(1);
    expect(once.offers).toHaveLength(1);
    expect(once.contacts.map((c) => c.kind)).toEqual(['message']);
    expect(once.audit.map((a) => a.action)).toEqual(['run_started']);
    expect(once.attempt).toMatchObject([{ status: 'running', current_node_ids: ['call'], last_transition: 1, first_run_id: attempt.firstRunId }]);
    // The customer's tags are a set: the second application adds no second win_back.
    expect((await pool.query('SELECT status, churn_type, churn_reason, tags FROM customers WHERE id = $1', [attempt.customerId])).rows).toEqual([
      { status: 'at_risk', churn_type: 'competitive', churn_reason: 'C', tags: ['win_back'] },
    ]);
  });

  it('a status the playbook sets is in the customer status history once, naming the attempt', async () => {
    const attempt = await newAttempt();
    const winBack = transition(attempt, 1, [{ type: 'update_customer', status: 'won_back', addTags: [], removeTags: [], churnType: null, churnReason: null }]);
    await activities.persistTransition(winBack);
    await activities.persistTransition(winBack);
    const { rows } = await pool.query('SELECT from_status, to_status, rule, attempt_id FROM customer_status_history WHERE customer_id = $1 ORDER BY id', [
      attempt.customerId,
    ]);
    expect(rows).toEqual([{ from_status: 'at_risk', to_status: 'won_back', rule: 'playbook', attempt_id: attempt.attemptId }]);
  });

  it('a completion writes its audit row and its contact once', async () => {
    const attempt = await newAttempt();
    await activities.persistTransition(transition(attempt, 1, [createTask('call')]));
    const completion = transition(
      attempt,
      2,
      [{ type: 'close_task', taskKey: 'call', status: 'completed', outcome: 'done', form: { call_notes: 'coming back next week' }, actor: rita }],
      ['end'],
    );

    await activities.persistTransition(completion);
    await activities.persistTransition(completion);

    const rows = await rowsOf(attempt.attemptId);
    expect(rows.tasks).toMatchObject([
      { task_key: 'call', status: 'completed', outcome: 'done', completed_by: 'u-rita', form_data: { call_notes: 'coming back next week' } },
    ]);
    expect(rows.audit.map((a) => a.action)).toEqual(['run_started', 'task_completed']);
    expect(rows.audit[1]).toMatchObject({
      actor_id: 'u-rita',
      subject: rows.tasks[0].id,
      details: { outcome: 'done', form: { call_notes: 'coming back next week' } },
    });
    expect(rows.contacts).toMatchObject([
      { kind: 'task', by_user_id: 'u-rita', summary: 'Call back: done — coming back next week', source_key: `${attempt.attemptId}:task:call` },
    ]);
  });

  it('a cancelled task is closed without an audit row or a contact', async () => {
    const attempt = await newAttempt();
    await activities.persistTransition(transition(attempt, 1, [createTask('call')]));
    await activities.persistTransition(
      transition(attempt, 2, [{ type: 'close_task', taskKey: 'call', status: 'cancelled', outcome: null, form: null, actor: null }]),
    );

    const rows = await rowsOf(attempt.attemptId);
    expect(rows.tasks).toMatchObject([{ status: 'cancelled', outcome: null, completed_by: null }]);
    expect(rows.audit.map((a) => a.action)).toEqual(['run_started']);
    expect(rows.contacts).toEqual([]);
  });

  it('a recorded answer writes its contact and its audit row once; an answer nobody recorded has no audit row', async () => {
    const attempt = await newAttempt();
    const recorded = transition(attempt, 1, [
      { type: 'record_response', responseKey: 'response:r1', kind: 'declined', channel: 'phone', note: 'too expensive', actor: rita },
    ]);
    await activities.persistTransition(recorded);
    await activities.persistTransition(recorded);
    const byLink = transition(attempt, 2, [
      { type: 'record_response', responseKey: 'response:r2', kind: 'accepted', channel: 'link', note: null, actor: null },
    ]);
    await activities.persistTransition(byLink);
    await activities.persistTransition(byLink);

    const rows = await rowsOf(attempt.attemptId);
    expect(rows.contacts).toMatchObject([
      {
        kind: 'answer',
        channel: 'phone',
        summary: 'Customer answered: declined — too expensive',
        by_user_id: 'u-rita',
        source_key: `${attempt.attemptId}:response:r1`,
      },
      { kind: 'answer', channel: 'link', summary: 'Customer answered: accepted', by_user_id: null, source_key: `${attempt.attemptId}:response:r2` },
    ]);
    expect(rows.audit.map((a) => a.action)).toEqual(['run_started', 'customer_response_recorded']);
    expect(rows.audit[1]).toMatchObject({
      actor_id: 'u-rita',
      subject: 'declined',
      details: { kind: 'declined', channel: 'phone', note: 'too expensive', responseKey: 'response:r1' },
    });
  });

  it('a completed run keeps its first outcome, and an older transition redelivered late does not move the attempt back', async () => {
    const attempt = await newAttempt();
    const first = transition(attempt, 1, [createTask('call')], ['call']);
    await activities.persistTransition(first);
    const end = transition(attempt, 2, [{ type: 'complete_run', outcome: 'retained', reason: null }], []);
    await activities.persistTransition(end);
    await activities.persistTransition(transition(attempt, 3, [{ type: 'complete_run', outcome: 'lost', reason: 'a second end' }], []));
    await activities.persistTransition(first);

    expect((await rowsOf(attempt.attemptId)).attempt).toMatchObject([
      { status: 'completed', outcome: 'retained', current_node_ids: [], last_transition: 3, variables: { step: 3 } },
    ]);
  });

  it('refuses an input that does not match the contract, writing nothing', async () => {
    const attempt = await newAttempt();
    await expect(activities.persistTransition({ ...transition(attempt, 1, []), attempt: { ...attempt, attemptId: 'not-a-uuid' } })).rejects.toThrow();
    await expect(activities.persistTransition(transition(attempt, 0, [createTask('call')]))).rejects.toThrow();
    expect(await rowsOf(attempt.attemptId)).toMatchObject({ attempt: [], tasks: [], audit: [] });
  });
});
