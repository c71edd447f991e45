import type { Pool } from 'pg';
import { recordAudit } from '../db/audit';
import { inTransaction } from '../db/pool';
import { z } from 'zod';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { reply, route, type RouteDef } from '../http';

export interface Customer {
  id: string;
  name: string;
  grade: string;
  value: number;
  department: string | null;
  accountManager: string | null;
  status: string;
  churnType: string | null;
  churnReason: string | null;
  tags: string[];
  lastSeenAt: Date | null;
}

function toCustomer(r: Record<string, unknown>): Customer {
  return {
    id: String(r.id),
    name: String(r.name),
    grade: String(r.grade),
    value: Number(r.value),
    department: (r.department_id as string | null) ?? null,
    accountManager: (r.account_manager_id as string | null) ?? null,
    status: String(r.status),
    churnType: (r.churn_type as string | null) ?? null,
    churnReason: (r.churn_reason as string | null) ?? null,
    tags: (r.tags as string[]) ?? [],
    lastSeenAt: (r.last_seen_at as Date | null) ?? null,
  };
}

export async function loadCustomer(pool: Pool, id: string): Promise<Customer | null> {
  const { rows } = await pool.query('SELECT * FROM customers WHERE id = $1', [id]);
  return rows[0] ? toCustomer(rows[0]) : null;
}

const ContactBody = z.object({
  kind: z.enum(['call', 'message', 'visit', 'answer', 'note']),
  channel: z.enum(['phone', 'sms', 'email', 'messaging', 'visit', 'in_person']).optional(),
  summary: z.string().trim().min(1).max(4000),
  attemptId: z.uuid().optional(),
});

export function customerRoutes({ pool }: Deps): RouteDef[] {
  return [
    route<z.infer<typeof ContactBody>>({
      method: 'post',
      path: '/api/customers/:id/contacts',
      summary: 'Record a contact with the customer (call, message, visit, answer, note)',
      tag: 'customers',
      access: ['rep', 'department_head', 'ops_manager', 'admin'],
      body: ContactBody,
      errors: { 404: 'no such customer' },
      async handle({ params, body, user }) {
        if (!(await loadCustomer(pool, params.id))) throw notFound(`customer ${params.id}`);
        return inTransaction(pool, async (db) => {
          const { rows } = await db.query(
            'INSERT INTO contacts (customer_id, attempt_id, kind, channel, summary, by_user_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, at',
            [params.id, body.attemptId ?? null, body.kind, body.channel ?? null, body.summary, user.id],
          );
          await recordAudit(db, { actorId: user.id, action: 'contact_recorded', subject: params.id, details: body });
          await db.query("UPDATE customers SET last_seen_at = now() WHERE id = $1 AND $2 = 'visit'", [params.id, body.kind]);
          return reply(201, { id: rows[0].id, at: rows[0].at, ...body, byUserId: user.id });
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/customers',
      summary: 'List customers',
      tag: 'customers',
      access: 'signed_in',
      async handle() {
        const { rows } = await pool.query('SELECT * FROM customers ORDER BY name LIMIT 500');
        return { customers: rows.map(toCustomer) };
      },
    }),
    route({
      method: 'get',
      path: '/api/customers/:id',
      summary: "Read a customer's file: grade, value, churn type and reason, recovery attempts, open tasks",
      tag: 'customers',
      access: 'signed_in',
      errors: { 404: 'no such customer' },
      async handle({ params }) {
        const customer = await loadCustomer(pool, params.id);
        if (!customer) throw notFound(`customer ${params.id}`);
        const attempts = await pool.query(
          'SELECT id, playbook_key, playbook_version, status, outcome, started_at, ended_at FROM recovery_attempts WHERE customer_id = $1 ORDER BY started_at DESC',
          [params.id],
        );
        const tasks = await pool.query("SELECT id, title, status, assignee_role, due_at FROM tasks WHERE customer_id = $1 AND status = 'open' ORDER BY created_at", [params.id]);
        const contacts = await pool.query(
          `SELECT k.id, k.kind, k.channel, k.summary, k.at, k.attempt_id, k.task_id, k.by_user_id, u.display_name
             FROM contacts k LEFT JOIN users u ON u.id = k.by_user_id WHERE k.customer_id = $1 ORDER BY k.at DESC, k.id DESC LIMIT 200`,
          [params.id],
        );
        return {
          customer,
          attempts: attempts.rows.map((a) => ({ id: a.id, playbookKey: a.playbook_key, version: a.playbook_version, status: a.status, outcome: a.outcome, startedAt: a.started_at, endedAt: a.ended_at })),
          openTasks: tasks.rows.map((t) => ({ id: t.id, title: t.title, status: t.status, assigneeRole: t.assignee_role, dueAt: t.due_at })),
          contacts: contacts.rows.map((k) => ({ id: k.id, kind: k.kind, channel: k.channel, summary: k.summary, at: k.at, attemptId: k.attempt_id, taskId: k.task_id, by: k.by_user_id ? { id: k.by_user_id, name: k.display_name } : null })),
        };
      },
    }),
  ];
}
