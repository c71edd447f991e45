import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { EVERY_DEPARTMENT, inGroup } from '../contract/roles';
import { DEPARTMENT_NAME, toCustomer, type Customer } from './customerFile';
import { notFound } from './errors';
import type { SessionUser } from './http';
import { Params, visibility } from './inbox/query';

/**
 * Who may reach which customer, and through the customer every recovery attempt of theirs: the one
 * department rule for runs, customers and audit views, the same one the inbox applies to tasks.
 *
 * Auditors, ops managers and admins reach every department (auditors still change nothing: their
 * role keeps them off every mutating route). Reps and department heads reach the customers of their
 * own department, customers of no department (whose tasks every queue sees), the customers they
 * manage, and any customer one of whose tasks they may see (a task routed to them from elsewhere).
 * What is out of reach answers 404, as an invisible task does: it does not say the id exists.
 */
export const seesEveryDepartment = (user: SessionUser): boolean => inGroup(EVERY_DEPARTMENT, user.role);

/** SQL condition: the customer row aliased `customer` is within the user's reach. */
export function customerInReach(user: SessionUser, p: Params, customer = 'c'): string {
  if (seesEveryDepartment(user)) return 'TRUE';
  const own = user.department === null ? 'FALSE' : `${customer}.department_id = ${p.add(user.department)}`;
  return `(${customer}.department_id IS NULL OR ${own} OR ${customer}.account_manager_id = ${p.add(user.id)}
           OR EXISTS (SELECT 1 FROM tasks t WHERE t.customer_id = ${customer}.id AND ${visibility(user, p)}))`;
}

/** SQL condition: the recovery attempt row aliased `attempt` belongs to a customer within reach. */
export function attemptInReach(user: SessionUser, p: Params, attempt = 'a'): string {
  if (seesEveryDepartment(user)) return 'TRUE';
  return `EXISTS (SELECT 1 FROM customers rc WHERE rc.id = ${attempt}.customer_id AND ${customerInReach(user, p, 'rc')})`;
}

type Db = Pool | PoolClient;

/** The customer, when it exists and the user may reach it; 404 otherwise. */
export async function reachableCustomer(db: Db, user: SessionUser, id: string): Promise<Customer> {
  const p = new Params();
  const { rows } = await db.query(`SELECT c.*, ${DEPARTMENT_NAME} FROM customers c WHERE c.id = ${p.add(id)} AND ${customerInReach(user, p)}`, p.values);
  if (!rows[0]) throw notFound(`customer ${id}`);
  return toCustomer(rows[0]);
}

/** The recovery attempt's row, when it exists and its customer is within reach; 404 otherwise. */
export async function reachableAttempt(db: Db, user: SessionUser, id: string): Promise<Record<string, unknown>> {
  if (!z.uuid().safeParse(id).success) throw notFound(`recovery attempt ${id}`);
  const p = new Params();
  const { rows } = await db.query(`SELECT a.* FROM recovery_attempts a WHERE a.id = ${p.add(id)} AND ${attemptInReach(user, p)}`, p.values);
  if (!rows[0]) throw notFound(`recovery attempt ${id}`);
  return rows[0];
}
