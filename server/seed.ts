import type { Pool } from 'pg';
import { compilePlaybook } from '../playbooks/compile';
import { TEMPLATES } from '../playbooks/templates';
import { hashPassword } from './auth';
import { loadDirectory } from './routes/playbooks';

/** Demo logins for the embedded default; every one has the password `demo`. */
export const DEMO_USERS = [
  { id: 'u-olga', username: 'olga', displayName: 'Olga Ops', role: 'ops_manager', department: null },
  { id: 'u-rita', username: 'rita', displayName: 'Rita Rep', role: 'rep', department: 'after_sales' },
  { id: 'u-ravi', username: 'ravi', displayName: 'Ravi Rep', role: 'rep', department: 'after_sales' },
  { id: 'u-kim', username: 'kim', displayName: 'Kim Rep', role: 'rep', department: 'key_accounts' },
  { id: 'u-hana', username: 'hana', displayName: 'Hana Head', role: 'department_head', department: 'after_sales' },
  { id: 'u-karl', username: 'karl', displayName: 'Karl Head', role: 'department_head', department: 'key_accounts' },
  { id: 'u-aude', username: 'aude', displayName: 'Aude Auditor', role: 'auditor', department: null },
  { id: 'u-adam', username: 'adam', displayName: 'Adam Admin', role: 'admin', department: null },
] as const;
export const DEMO_PASSWORD = 'demo';

const DEPARTMENTS = [
  ['after_sales', 'After-sales service'],
  ['key_accounts', 'Key accounts'],
  ['service', 'Customer service'],
];

const CUSTOMERS = [
  ['C-1001', 'Harbor Logistics', 'core', 125000, 'key_accounts', 'u-kim', 'at_risk'],
  ['C-1002', 'Mei Lin Auto Care', 'ordinary', 4200, 'after_sales', 'u-rita', 'pre_churn'],
  ['C-1003', 'Northwind Fleet', 'high_potential', 38000, 'after_sales', 'u-ravi', 'at_risk'],
  ['C-1004', 'Zhang Family Garage', 'churn_signs', 1800, 'after_sales', null, 'pre_churn'],
  ['C-1005', 'Blue River Foods', 'core', 96000, 'key_accounts', 'u-kim', 'active'],
] as const;

/** Idempotent: safe on every start; it never overwrites what people changed. */
export async function seedDemo(pool: Pool): Promise<void> {
  for (const [id, name] of DEPARTMENTS) await pool.query('INSERT INTO departments (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, name]);
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    await pool.query(
      'INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
      [u.id, u.username, u.displayName, hash, u.role, u.department],
    );
  }
  for (const [id, name, grade, value, dep, manager, status] of CUSTOMERS) {
    await pool.query(
      `INSERT INTO customers (id, name, grade, value, department_id, account_manager_id, status, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() - interval '100 days') ON CONFLICT DO NOTHING`,
      [id, name, grade, value, dep, manager, status],
    );
  }
  await seedTemplates(pool, 'u-olga');
}

/** Each template becomes a playbook with a published version 1, unless it exists already. */
export async function seedTemplates(pool: Pool, publishedBy: string): Promise<void> {
  const directory = await loadDirectory(pool);
  for (const t of TEMPLATES) {
    const inserted = await pool.query(
      'INSERT INTO playbooks (key, name, description, draft_graph, updated_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key',
      [t.key, t.name, t.description, JSON.stringify(t.graph), publishedBy],
    );
    if (inserted.rowCount === 0) continue;
    const compiled = compilePlaybook(t.graph, directory);
    if (!compiled.plan) throw new Error(`template ${t.key} does not compile: ${JSON.stringify(compiled.problems)}`);
    await pool.query(
      'INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash, published_by) VALUES ($1, 1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [t.key, JSON.stringify(t.graph), JSON.stringify(compiled.plan), compiled.plan.hash, publishedBy],
    );
  }
}
