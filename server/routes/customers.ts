import { z } from 'zod';
import { ContactBody, ContactRecorded, CustomerFile, CustomerList } from '../../contract/customers';
import { WORKERS } from '../../contract/roles';
import { customerInReach, reachableCustomer } from '../access';
import { DEPARTMENT_NAME, toCustomer, type Customer } from '../customerFile';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import type { Deps } from '../deps';
import { problemsFromZod } from '../../playbooks/problems';
import { invalid } from '../errors';
import { reply, route, type RouteDef } from '../http';
import { Params } from '../inbox/query';
import { containsLiterally } from '../search';

export type { Customer };

const ListQuery = z.object({
  /** Part of the name or id; % and _ are plain characters. */
  q: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(500),
});

/**
 * A contact as sent, validated. A contact row moves no attempt: an answer recorded as one was once
 * stored and silently changed nothing, so it is refused with the route that delivers it to the run.
 */
function contactBody(sent: unknown): z.infer<typeof ContactBody> {
  if (sent && typeof sent === 'object' && (sent as { kind?: unknown }).kind === 'answer') {
    throw invalid([
      {
        code: 'use_answers_route',
        message: "record the customer's answer with POST /api/attempts/{attemptId}/answers: it reaches the step the attempt waits on (a contact moves nothing)",
        path: ['kind'],
      },
    ]);
  }
  const parsed = ContactBody.safeParse(sent);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues));
  return parsed.data;
}

export function customerRoutes({ pool }: Deps): RouteDef[] {
  return [
    route<z.infer<typeof ContactBody>>({
      method: 'post',
      path: '/api/customers/:id/contacts',
      summary: "Record a contact with the customer (call, message, visit, note); the customer's answer goes to POST /api/attempts/{id}/answers",
      tag: 'customers',
      access: WORKERS,
      body: ContactBody,
      // Checked here, so a contact of the retired kind `answer` is told where answers go (not just "not a kind").
      bodyCheckedBy: 'handler',
      response: ContactRecorded,
      success: [201],
      errors: { 404: 'no such customer' },
      async handle({ params, body: sent, user }) {
        const body = contactBody(sent);
        await reachableCustomer(pool, user, params.id);
        // The attempt a contact belongs to must be one of this customer's: no notes on others' runs.
        if (body.attemptId && !(await pool.query('SELECT 1 FROM recovery_attempts WHERE id = $1 AND customer_id = $2', [body.attemptId, params.id])).rowCount) {
          throw invalid([
            { code: 'attempt_not_of_customer', message: `attempt ${body.attemptId} is not a recovery attempt of customer ${params.id}`, path: ['attemptId'] },
          ]);
        }
        return inTransaction(pool, async (db) => {
          const { rows } = await db.query(
            'INSERT INTO contacts (customer_id, attempt_id, kind, channel, summary, by_user_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, at',
            [params.id, body.attemptId ?? null, body.kind, body.channel ?? null, body.summary, user.id],
          );
          await recordAudit(db, { actorId: user.id, action: 'contact_recorded', attemptId: body.attemptId, subject: params.id, details: body });
          await db.query("UPDATE customers SET last_seen_at = now() WHERE id = $1 AND $2 = 'visit'", [params.id, body.kind]);
          return reply(201, { id: rows[0].id, at: rows[0].at, ...body, byUserId: user.id });
        });
      },
    }),
    route<undefined, z.infer<typeof ListQuery>>({
      method: 'get',
      path: '/api/customers',
      summary: 'List the customers within your reach (your department, unless you see every department), optionally by name',
      tag: 'customers',
      access: 'signed_in',
      query: ListQuery,
      response: CustomerList,
      async handle({ user, query }) {
        const p = new Params();
        const where = [customerInReach(user, p)];
        if (query.q) where.push(`(c.name ILIKE ${p.add(containsLiterally(query.q))} OR c.id ILIKE ${p.add(containsLiterally(query.q))})`);
        const { rows } = await pool.query(
          `SELECT c.*, ${DEPARTMENT_NAME} FROM customers c WHERE ${where.join(' AND ')} ORDER BY c.name LIMIT ${p.add(query.limit)}`,
          p.values,
        );
        return { customers: rows.map(toCustomer) };
      },
    }),
    route({
      method: 'get',
      path: '/api/customers/:id',
      summary: "Read a customer's file: grade, value, churn type and reason, recovery attempts, open tasks",
      tag: 'customers',
      access: 'signed_in',
      response: CustomerFile,
      errors: { 404: 'no such customer' },
      async handle({ params, user }) {
        const customer = await reachableCustomer(pool, user, params.id);
        const attempts = await pool.query(
          'SELECT id, playbook_key, playbook_version, status, outcome, started_at, ended_at FROM recovery_attempts WHERE customer_id = $1 ORDER BY started_at DESC',
          [params.id],
        );
        const tasks = await pool.query(
          "SELECT id, title, status, assignee_role, due_at FROM tasks WHERE customer_id = $1 AND status = 'open' ORDER BY created_at",
          [params.id],
        );
        const contacts = await pool.query(
          `SELECT k.id, k.kind, k.channel, k.summary, k.at, k.attempt_id, k.task_id, k.by_user_id, u.display_name
             FROM contacts k LEFT JOIN users u ON u.id = k.by_user_id WHERE k.customer_id = $1 ORDER BY k.at DESC, k.id DESC LIMIT 200`,
          [params.id],
        );
        return {
          customer,
          attempts: attempts.rows.map((a) => ({
            id: a.id,
            playbookKey: a.playbook_key,
            version: a.playbook_version,
            status: a.status,
            outcome: a.outcome,
            startedAt: a.started_at,
            endedAt: a.ended_at,
          })),
          openTasks: tasks.rows.map((t) => ({ id: t.id, title: t.title, status: t.status, assigneeRole: t.assignee_role, dueAt: t.due_at })),
          contacts: contacts.rows.map((k) => ({
            id: k.id,
            kind: k.kind,
            channel: k.channel,
            summary: k.summary,
            at: k.at,
            attemptId: k.attempt_id,
            taskId: k.task_id,
            by: k.by_user_id ? { id: k.by_user_id, name: k.display_name } : null,
          })),
        };
      },
    }),
  ];
}
