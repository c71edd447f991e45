import { z } from 'zod';
import { CustomerAttributes, CustomerAttributesBody, StatusHistory } from '../../contract/activity';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { reachableCustomer } from '../access';
import { DEPARTMENT_NAME, toCustomer } from '../customerFile';
import type { Deps } from '../deps';
import { invalid } from '../errors';
import { route, type RouteDef } from '../http';

/** Body field → customers column. */
const COLUMNS = {
  grade: 'grade',
  value: 'value',
  churnType: 'churn_type',
  churnReason: 'churn_reason',
  expectedVisitDays: 'expected_visit_days',
  customerSince: 'customer_since',
  department: 'department_id',
  accountManager: 'account_manager_id',
  status: 'status',
} as const;

function fileView(r: Record<string, unknown>) {
  return {
    ...toCustomer(r),
    expectedVisitDays: (r.expected_visit_days as number | null) ?? null,
    customerSince: r.customer_since ? (r.customer_since as Date).toISOString().slice(0, 10) : null,
    statusChangedAt: r.status_changed_at ? (r.status_changed_at as Date).toISOString() : null,
  };
}

/**
 * Ops managers and admins edit what the rules and playbooks read about a customer. One audit row
 * per edit (before and after) in the edit's transaction; a status set by hand goes to the status
 * history as rule 'manual' with who changed it.
 */
export function customerAttributeRoutes({ pool }: Deps): RouteDef[] {
  return [
    route<z.infer<typeof CustomerAttributesBody>>({
      method: 'patch',
      path: '/api/customers/:id',
      summary: "Change a customer's attributes: grade, value, churn type and reason, visit cadence, customer since, department, account manager, status",
      tag: 'customers',
      response: CustomerAttributes,
      access: ['ops_manager', 'admin'],
      body: CustomerAttributesBody,
      errors: { 404: 'no such customer' },
      async handle({ params, body, user }) {
        await reachableCustomer(pool, user, params.id);
        const problems = [];
        if (body.department && !(await pool.query('SELECT 1 FROM departments WHERE id = $1', [body.department])).rowCount)
          problems.push({ code: 'unknown_department', message: `no department ${body.department}`, path: ['department'] });
        if (body.accountManager && !(await pool.query('SELECT 1 FROM users WHERE id = $1 AND active', [body.accountManager])).rowCount)
          problems.push({ code: 'unknown_user', message: `no active user ${body.accountManager}`, path: ['accountManager'] });
        if (problems.length) throw invalid(problems);
        return inTransaction(pool, async (db) => {
          const before = (await db.query('SELECT * FROM customers WHERE id = $1 FOR UPDATE', [params.id])).rows[0];
          const sets: string[] = [];
          const values: unknown[] = [params.id];
          for (const [field, column] of Object.entries(COLUMNS)) {
            const v = body[field as keyof typeof COLUMNS];
            if (v === undefined) continue;
            values.push(v);
            sets.push(`${column} = $${values.length}`);
          }
          if (body.status !== undefined && body.status !== before.status) {
            await db.query(
              `SELECT set_config('retention.status_rule', 'manual', true), set_config('retention.status_changed_by', $1, true),
                      set_config('retention.status_evidence', $2, true)`,
              [user.id, JSON.stringify({ note: body.note ?? null })],
            );
          }
          const after = (await db.query(`UPDATE customers c SET ${sets.join(', ')} WHERE c.id = $1 RETURNING c.*, ${DEPARTMENT_NAME}`, values)).rows[0];
          const changed = Object.fromEntries(
            Object.entries(COLUMNS)
              .filter(([, column]) => String(before[column]) !== String(after[column]))
              .map(([field, column]) => [field, { from: before[column], to: after[column] }]),
          );
          await recordAudit(db, { actorId: user.id, action: 'customer_attributes_changed', subject: params.id, details: { changed, note: body.note ?? null } });
          return fileView(after);
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/customers/:id/status-history',
      summary: "The customer's status changes: from, to, the rule (or playbook, or person), its version, the evidence, when",
      tag: 'customers',
      response: StatusHistory,
      access: 'signed_in',
      errors: { 404: 'no such customer' },
      async handle({ params, user }) {
        const customer = await reachableCustomer(pool, user, params.id);
        const { rows } = await pool.query('SELECT * FROM customer_status_history WHERE customer_id = $1 ORDER BY at DESC, id DESC LIMIT 500', [customer.id]);
        return {
          history: rows.map((r) => ({
            from: r.from_status,
            to: r.to_status,
            rule: r.rule,
            ruleVersion: r.rule_version,
            evidence: r.evidence,
            attemptId: r.attempt_id,
            changedBy: r.changed_by,
            at: r.at.toISOString(),
          })),
        };
      },
    }),
  ];
}
