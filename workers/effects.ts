import type { PoolClient } from 'pg';
import { renderMessage } from '../playbooks/messages';
import type { Command, Json } from '../playbooks/runtime/types';
import type { AttemptIdentity } from '../platform/db/attempts';
import { recordAudit } from '../platform/db/audit';
import { createLinkToken, hashLinkToken } from '../platform/links';

export interface EffectContext {
  client: PoolClient;
  attempt: AttemptIdentity;
  variables: Record<string, Json>;
  linkSecret: string;
  publicUrl: string;
}

/**
 * One runtime command → its rows. Every statement is keyed by the attempt and the runtime's own key
 * (task, message, offer, agreement), so running a transition twice leaves the same rows.
 */
export async function applyEffect(ctx: EffectContext, cmd: Command): Promise<void> {
  const { client, attempt } = ctx;
  switch (cmd.type) {
    case 'create_task': {
      const t = cmd.task;
      await client.query(
        `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, instructions,
                            assignee_role, department_id, assignee_user_id, priority, outcomes, form, due_at, escalation)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
         ON CONFLICT (attempt_id, task_key) DO NOTHING`,
        [
          attempt.attemptId,
          attempt.workflowId,
          t.taskKey,
          t.nodeId,
          attempt.customerId,
          attempt.playbookKey,
          t.title,
          t.instructions,
          t.assignee.role,
          t.assignee.department,
          t.assignee.userId,
          t.priority,
          JSON.stringify(t.outcomes),
          JSON.stringify(t.form),
          t.dueAt === null ? null : new Date(t.dueAt),
          t.escalation ? JSON.stringify(t.escalation) : null,
        ],
      );
      return;
    }
    case 'reassign_task':
      // A claim belonged to the previous person; the new one starts unclaimed.
      await client.query(
        `UPDATE tasks SET assignee_user_id = $3, claimed_by = NULL, claimed_at = NULL WHERE attempt_id = $1 AND task_key = $2 AND status = 'open'`,
        [attempt.attemptId, cmd.taskKey, cmd.userId],
      );
      return;
    case 'close_task': {
      const closed = await client.query(
        `UPDATE tasks SET status = $3, outcome = $4, form_data = $5, completed_by = $6, closed_at = now()
         WHERE attempt_id = $1 AND task_key = $2 AND status = 'open' RETURNING id, title`,
        [attempt.attemptId, cmd.taskKey, cmd.status, cmd.outcome, cmd.form === null ? null : JSON.stringify(cmd.form), cmd.actor?.userId ?? null],
      );
      const task = closed.rows[0];
      if (task && cmd.status === 'completed') {
        // In the same transaction as the completion: an API that dies after the Update leaves no gap in the audit.
        if (cmd.actor)
          await recordAudit(client, {
            actorId: cmd.actor.userId,
            action: 'task_completed',
            attemptId: attempt.attemptId,
            subject: task.id,
            details: { outcome: cmd.outcome, form: cmd.form ?? {} },
          });
        const notes = Object.values(cmd.form ?? {})
          .filter((v) => typeof v === 'string' && v.trim())
          .join(' — ');
        await contact(
          ctx,
          `task:${cmd.taskKey}`,
          'task',
          null,
          `${task.title}: ${cmd.outcome}${notes ? ` — ${notes}` : ''}`,
          cmd.actor?.userId ?? null,
          task.id,
        );
      }
      return;
    }
    case 'record_response': {
      const recorded = await contact(
        ctx,
        cmd.responseKey,
        'answer',
        cmd.channel,
        `Customer answered: ${cmd.kind}${cmd.note ? ` — ${cmd.note}` : ''}`,
        cmd.actor?.userId ?? null,
        null,
      );
      // An answer a person recorded is audited with it, once (the contact row is keyed by the response).
      if (recorded && cmd.actor) {
        await recordAudit(client, {
          actorId: cmd.actor.userId,
          action: 'customer_response_recorded',
          attemptId: attempt.attemptId,
          subject: cmd.kind,
          details: { kind: cmd.kind, channel: cmd.channel, note: cmd.note, responseKey: cmd.responseKey },
        });
      }
      return;
    }
    case 'complete_run':
      await client.query(
        `UPDATE recovery_attempts SET status = 'completed', outcome = $2, outcome_reason = $3, ended_at = now() WHERE id = $1 AND status = 'running'`,
        [attempt.attemptId, cmd.outcome, cmd.reason],
      );
      return;
    case 'send_message':
      return storeMessage(ctx, cmd);
    case 'update_customer':
      // The status history (a trigger on customers.status) records that this attempt made the change.
      await client.query(`SELECT set_config('retention.status_rule', 'playbook', true), set_config('retention.status_attempt', $1, true)`, [attempt.attemptId]);
      await client.query(
        `UPDATE customers SET status = COALESCE($2, status), churn_type = COALESCE($3, churn_type), churn_reason = COALESCE($4, churn_reason),
                tags = ARRAY(SELECT DISTINCT t FROM unnest(array_cat(tags, $5::text[])) AS t WHERE NOT t = ANY($6::text[]) ORDER BY t)
          WHERE id = $1`,
        [attempt.customerId, cmd.status, cmd.churnType, cmd.churnReason, cmd.addTags, cmd.removeTags],
      );
      return;
    case 'record_offer':
      await client.query(
        `INSERT INTO offers (attempt_id, offer_key, node_id, tier, label, incentive, status, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (attempt_id, offer_key) DO UPDATE SET status = EXCLUDED.status, valid_until = COALESCE(EXCLUDED.valid_until, offers.valid_until), updated_at = now()`,
        [
          attempt.attemptId,
          cmd.offerKey,
          cmd.nodeId,
          cmd.tier,
          cmd.label,
          JSON.stringify(cmd.incentive),
          cmd.status,
          cmd.validUntil === null ? null : new Date(cmd.validUntil),
        ],
      );
      return;
    case 'record_agreement':
      await client.query(
        `INSERT INTO agreements (attempt_id, agreement_key, customer_id, node_id, term_months, discount_percent, obligations, breach_terms, status, signed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9 = 'signed' THEN now() END)
         ON CONFLICT (attempt_id, agreement_key) DO UPDATE SET status = EXCLUDED.status, signed_at = COALESCE(agreements.signed_at, EXCLUDED.signed_at), updated_at = now()`,
        [
          attempt.attemptId,
          cmd.agreementKey,
          attempt.customerId,
          cmd.nodeId,
          cmd.termMonths,
          cmd.discountPercent,
          JSON.stringify(cmd.obligations),
          cmd.breachTerms,
          cmd.status,
        ],
      );
      return;
    case 'record_credit_check':
      return recordCreditCheck(ctx, cmd);
    case 'record_operation':
      return recordOperation(ctx, cmd);
    default:
      // Timers and step bookkeeping live in Temporal's history, not in PostgreSQL.
      return;
  }
}

/** A contact-log row, keyed by the attempt and `key`: true when this call wrote it. */
async function contact(
  ctx: EffectContext,
  key: string,
  kind: string,
  channel: string | null,
  summary: string,
  byUserId: string | null,
  taskId: string | null,
): Promise<boolean> {
  const { rowCount } = await ctx.client.query(
    `INSERT INTO contacts (customer_id, attempt_id, task_id, kind, channel, summary, by_user_id, source_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (source_key) DO NOTHING`,
    [ctx.attempt.customerId, ctx.attempt.attemptId, taskId, kind, channel, summary, byUserId, `${ctx.attempt.attemptId}:${key}`],
  );
  return rowCount === 1;
}

async function storeMessage(ctx: EffectContext, cmd: Extract<Command, { type: 'send_message' }>): Promise<void> {
  let linkUrl: string | null = null;
  if (cmd.link) {
    // Deterministic for a given message, so a retried activity produces the same token.
    const token = createLinkToken(ctx.linkSecret, {
      a: ctx.attempt.attemptId,
      w: ctx.attempt.workflowId,
      p: cmd.link.purpose,
      r: cmd.link.ref,
      e: cmd.link.expiresAt,
      m: cmd.messageKey,
    });
    linkUrl = `${ctx.publicUrl.replace(/\/$/, '')}/r/${token}`;
    // The row binds the link to what it answers: this attempt's first run, the step, the tier and its words.
    await ctx.client.query(
      `INSERT INTO answer_links (token_hash, attempt_id, workflow_id, purpose, ref, expires_at, first_run_id, node_id, step_id, tier, offer_text, message_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
      [
        hashLinkToken(token),
        ctx.attempt.attemptId,
        ctx.attempt.workflowId,
        cmd.link.purpose,
        cmd.link.ref,
        new Date(cmd.link.expiresAt),
        ctx.attempt.firstRunId ?? null,
        cmd.link.nodeId ?? null,
        cmd.link.stepId ?? null,
        cmd.link.tier ?? null,
        cmd.link.text ?? null,
        cmd.messageKey,
      ],
    );
  }
  const message = renderMessage(cmd.template, ctx.variables, cmd.vars, { link: linkUrl });
  await ctx.client.query(
    `INSERT INTO outbox_messages (attempt_id, message_key, channel, recipient, template, subject, body, link_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (attempt_id, message_key) DO NOTHING`,
    [ctx.attempt.attemptId, cmd.messageKey, cmd.channel, JSON.stringify(cmd.recipient), cmd.template, message.subject, message.body, linkUrl],
  );
  if (cmd.recipient.kind === 'customer') await contact(ctx, cmd.messageKey, 'message', cmd.channel, message.subject, null, null);
}

/**
 * A credit check into the customer's credit file: the check joins the rating history (once per
 * attempt and key) and, when it is the newest, becomes the file's current rating and balance. The
 * person who made it is audited with it, in the same transaction.
 */
async function recordCreditCheck(ctx: EffectContext, cmd: Extract<Command, { type: 'record_credit_check' }>): Promise<void> {
  const { client, attempt } = ctx;
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO credit_checks (customer_id, attempt_id, check_key, node_id, rating, outstanding_balance, notes, checked_by, checked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (attempt_id, check_key) DO NOTHING RETURNING id`,
    [attempt.customerId, attempt.attemptId, cmd.checkKey, cmd.nodeId, cmd.rating, cmd.outstandingBalance, cmd.notes, cmd.checkedBy, new Date(cmd.checkedAt)],
  );
  const check = inserted.rows[0];
  if (!check) return;
  await client.query(
    `INSERT INTO credit_files (customer_id, rating, outstanding_balance, last_check_id, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (customer_id) DO UPDATE SET rating = EXCLUDED.rating, outstanding_balance = EXCLUDED.outstanding_balance,
       last_check_id = EXCLUDED.last_check_id, updated_at = EXCLUDED.updated_at
     WHERE credit_files.updated_at <= EXCLUDED.updated_at`,
    [attempt.customerId, cmd.rating, cmd.outstandingBalance, check.id, new Date(cmd.checkedAt)],
  );
  await recordAudit(client, {
    actorId: cmd.checkedBy,
    action: 'credit_file_updated',
    attemptId: attempt.attemptId,
    subject: attempt.customerId,
    details: { rating: cmd.rating, outstandingBalance: cmd.outstandingBalance, notes: cmd.notes, checkKey: cmd.checkKey },
  });
}

/**
 * An operator's repair or migration: its row and audit entry once per operation id; a migration
 * also re-pins the attempt's row to the version it now follows (the workflow already does).
 */
async function recordOperation(ctx: EffectContext, cmd: Extract<Command, { type: 'record_operation' }>): Promise<void> {
  const { client, attempt } = ctx;
  const inserted = await client.query(
    `INSERT INTO attempt_operations (operation_id, attempt_id, operation, actor_id, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (operation_id) DO NOTHING`,
    [cmd.operationKey, attempt.attemptId, cmd.operation, cmd.actor.userId, cmd.reason, JSON.stringify(cmd.details)],
  );
  if (!inserted.rowCount) return;
  if (cmd.operation === 'migrate') {
    await client.query(`UPDATE recovery_attempts SET migrated_from = playbook_version, playbook_version = $2 WHERE id = $1 AND playbook_version <> $2`, [
      attempt.attemptId,
      Number(cmd.details.toVersion),
    ]);
  }
  await recordAudit(client, {
    actorId: cmd.actor.userId,
    action: `attempt_${cmd.operation === 'cancel_attempt' ? 'cancelled' : cmd.operation === 'move_step' ? 'step_moved' : cmd.operation === 'set_variable' ? 'variable_set' : 'migrated'}`,
    attemptId: attempt.attemptId,
    subject: cmd.operationKey,
    details: { reason: cmd.reason, ...cmd.details },
  });
}
