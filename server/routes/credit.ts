import { CreditFile, type CreditFile as CreditFileBody } from '../../contract/credit';
import { reachableCustomer } from '../access';
import type { Deps } from '../deps';
import { route, type RouteDef } from '../http';

/**
 * The customer's credit file: written only by credit checks in recovery attempts (workers/effects.ts),
 * read here by anyone who can reach the customer (their department, or every department for ops
 * managers, admins and auditors).
 */
export function creditRoutes({ pool }: Deps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/customers/:id/credit',
      summary: "Read a customer's credit file: current rating and outstanding balance, and every credit check with who made it",
      tag: 'customers',
      access: 'signed_in',
      response: CreditFile,
      errors: { 404: 'no such customer' },
      async handle({ params, user }) {
        const customer = await reachableCustomer(pool, user, params.id);
        const file = await pool.query('SELECT rating, outstanding_balance, updated_at FROM credit_files WHERE customer_id = $1', [customer.id]);
        const checks = await pool.query(
          `SELECT c.id, c.rating, c.outstanding_balance, c.notes, c.checked_by, u.display_name, c.checked_at, c.attempt_id
             FROM credit_checks c LEFT JOIN users u ON u.id = c.checked_by
            WHERE c.customer_id = $1 ORDER BY c.checked_at DESC, c.id DESC LIMIT 200`,
          [customer.id],
        );
        const current = file.rows[0];
        const body: CreditFileBody = {
          customerId: customer.id,
          rating: current?.rating ?? null,
          outstandingBalance: current ? Number(current.outstanding_balance) : null,
          updatedAt: current ? new Date(current.updated_at).toISOString() : null,
          checks: checks.rows.map((c) => ({
            id: String(c.id),
            rating: c.rating,
            outstandingBalance: Number(c.outstanding_balance),
            notes: c.notes,
            checkedBy: c.checked_by,
            checkedByName: c.display_name ?? null,
            checkedAt: new Date(c.checked_at).toISOString(),
            attemptId: c.attempt_id,
          })),
        };
        return body;
      },
    }),
  ];
}
