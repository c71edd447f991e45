import type { Pool } from 'pg';
import type { Command } from '../../playbooks/runtime/types';
import { createPool } from '../../platform/db/pool';
import { createActivities } from '../../workers/activities';
import type { AttemptIdentity } from '../../workflows/activityContract';
import { env } from '../support/product';
import { activityOptions, attemptMaker, createTask, DAY, transition } from './attempts';

/** The effects that move a row on (offers, agreements, reassignments) and who a message is logged for. */
describe('effects of the persistence activity', () => {
  const pool: Pool = createPool(env().databaseUrl);
  const activities = createActivities(pool, activityOptions);
  let newAttempt: () => Promise<AttemptIdentity>;

  beforeAll(async () => {
    newAttempt = await attemptMaker(pool, 'effects');
  });
  afterAll(() => pool.end());

  const offer = (status: Extract<Command, { type: 'record_offer' }>['status'], validUntil: number | null): Command => ({
    type: 'record_offer',
    offerKey: 'ladder:1',
    nodeId: 'ladder',
    tier: 1,
    label: 'Small',
    incentive: { type: 'percent', value: 5, description: '5% off' },
    status,
    validUntil,
  });
  const agreement = (status: Extract<Command, { type: 'record_agreement' }>['status']): Command => ({
    type: 'record_agreement',
    agreementKey: 'agreement:1',
    nodeId: 'agreement',
    termMonths: 12,
    discountPercent: 8,
    obligations: { firm: ['priority service'], customer: ['all servicing with us'] },
    breachTerms: 'the discount is repaid',
    status,
  });

  it('an offer is one row per key that moves on with its status; an answer without a date keeps the validity', async () => {
    const attempt = await newAttempt();
    const validUntil = Date.now() + 7 * DAY;
    await activities.persistTransition(transition(attempt, 1, [offer('made', validUntil)]));
    await activities.persistTransition(transition(attempt, 2, [offer('declined', null)]));
    await activities.persistTransition(transition(attempt, 2, [offer('declined', null)]));

    const rows = (await pool.query('SELECT offer_key, status, valid_until FROM offers WHERE attempt_id = $1', [attempt.attemptId])).rows;
    expect(rows).toEqual([{ offer_key: 'ladder:1', status: 'declined', valid_until: new Date(validUntil) }]);
  });

  it('an agreement is one row per key; the signature date survives the later fulfilment and a redelivery', async () => {
    const attempt = await newAttempt();
    await activities.persistTransition(transition(attempt, 1, [agreement('proposed')]));
    const signing = transition(attempt, 2, [agreement('signed')]);
    await activities.persistTransition(signing);
    const signedAt = (await pool.query('SELECT signed_at FROM agreements WHERE attempt_id = $1', [attempt.attemptId])).rows[0].signed_at;
    expect(signedAt).toBeInstanceOf(Date);
    await activities.persistTransition(signing);
    await activities.persistTransition(transition(attempt, 3, [agreement('fulfilled')]));

    const rows = (await pool.query('SELECT agreement_key, status, signed_at, term_months FROM agreements WHERE attempt_id = $1', [attempt.attemptId])).rows;
    expect(rows).toEqual([{ agreement_key: 'agreement:1', status: 'fulfilled', signed_at: signedAt, term_months: 12 }]);
  });

  it('a reassignment hands an open task to the new person unclaimed, and leaves a closed one alone', async () => {
    const attempt = await newAttempt();
    await activities.persistTransition(transition(attempt, 1, [createTask('call'), createTask('done')]));
    await pool.query("UPDATE tasks SET assignee_user_id = 'u-rita', claimed_by = 'u-rita', claimed_at = now() WHERE attempt_id = $1", [attempt.attemptId]);
    await activities.persistTransition(
      transition(attempt, 2, [{ type: 'close_task', taskKey: 'done', status: 'cancelled', outcome: null, form: null, actor: null }]),
    );
    const reassign = (taskKey: string): Command => ({
      type: 'reassign_task',
      taskKey,
      userId: 'u-ravi',
      actor: { userId: 'u-hana', role: 'department_head', department: 'after_sales' },
      reason: 'holiday',
    });
    await activities.persistTransition(transition(attempt, 3, [reassign('call'), reassign('done')]));

    const rows = (
      await pool.query('SELECT task_key, status, assignee_user_id, claimed_by FROM tasks WHERE attempt_id = $1 ORDER BY task_key', [attempt.attemptId])
    ).rows;
    expect(rows).toEqual([
      { task_key: 'call', status: 'open', assignee_user_id: 'u-ravi', claimed_by: null },
      { task_key: 'done', status: 'cancelled', assignee_user_id: 'u-rita', claimed_by: 'u-rita' },
    ]);
  });

  it("a message to the customer is in the customer's contact log, a message to staff is not", async () => {
    const attempt = await newAttempt();
    await activities.persistTransition(
      transition(attempt, 1, [
        {
          type: 'send_message',
          messageKey: 'm:customer',
          channel: 'email',
          recipient: { kind: 'customer' },
          template: 'reminder',
          vars: { reminder_text: 'your service is due' },
          link: null,
        },
        {
          type: 'send_message',
          messageKey: 'm:staff',
          channel: 'email',
          recipient: { kind: 'role', role: 'department_head', department: 'after_sales' },
          template: 'reminder',
          vars: { reminder_text: 'a head note' },
          link: null,
        },
      ]),
    );

    const messages = (await pool.query('SELECT message_key, link_url FROM outbox_messages WHERE attempt_id = $1 ORDER BY message_key', [attempt.attemptId]))
      .rows;
    expect(messages).toEqual([
      { message_key: 'm:customer', link_url: null },
      { message_key: 'm:staff', link_url: null },
    ]);
    const contacts = (await pool.query('SELECT kind, source_key FROM contacts WHERE attempt_id = $1', [attempt.attemptId])).rows;
    expect(contacts).toEqual([{ kind: 'message', source_key: `${attempt.attemptId}:m:customer` }]);
  });
});
