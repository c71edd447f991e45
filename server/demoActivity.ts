import type { Pool } from 'pg';
import { compilePlaybook } from '../playbooks/compile';
import type { PlaybookGraph } from '../playbooks/graph';
import { listensFor } from '../playbooks/nodes/start';
import { startConfigOf, type CompiledPlan } from '../playbooks/plan';
import { loadDirectory } from './routes/playbooks';

/**
 * A year of synthetic activity for 300 demo customers, so a new user of `npm start` sees the loop
 * work: regular visitors (monthly, every two or three months) of whom some stopped coming two or
 * three visits ago, long-standing customers whose orders dried up, a few recent complaints. Every
 * number comes from the customer's index (no randomness), ids are fixed and every insert is
 * ON CONFLICT DO NOTHING, so a restart adds nothing. The seeded tiered win-back listens for
 * customer.pre_churn and the complaint response for customer.complaint, so "Run now" on the rules
 * page (or the night's evaluation) starts them by itself. Kept out of the test seed: only
 * scripts/start.ts calls it.
 */
export const DEMO_CUSTOMERS = 300;

export async function seedDemoActivity(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO customers (id, name, grade, value, department_id, account_manager_id, status, expected_visit_days, customer_since, churn_type, churn_reason)
     SELECT 'D-' || lpad(g::text, 3, '0'),
            (ARRAY['Harbor','Cedar','Lotus','Granite','Willow','Summit','Maple','Coral','Falcon','Juniper'])[g % 10 + 1] || ' ' ||
            (ARRAY['Auto Care','Garage','Fleet','Motors','Logistics','Foods','Transport','Service'])[g % 8 + 1] || ' ' || g,
            (ARRAY['core','high_potential','ordinary','ordinary','churn_signs'])[g % 5 + 1], ((g * 7919) % 90000) + 800,
            (ARRAY['after_sales','after_sales','key_accounts','service'])[g % 4 + 1],
            (ARRAY['u-rita','u-ravi','u-kim',NULL])[g % 4 + 1], 'active',
            CASE WHEN g % 3 <> 0 THEN (ARRAY[30, 60, 90])[g % 3 + 1] END,
            (now() - ((g * 97) % 2900 + 200) * interval '1 day')::date,
            CASE WHEN g % 6 = 1 THEN (ARRAY['natural','malicious','competitive','fault'])[g % 4 + 1] END,
            CASE WHEN g % 6 = 1 THEN (ARRAY['A','B','C','D'])[g % 4 + 1] END
       FROM generate_series(1, ${DEMO_CUSTOMERS}) g
     ON CONFLICT (id) DO NOTHING`,
  );
  // Regular visits every cadence over the past year; every 7th regular customer stopped 2 visits ago, every 11th 3 visits ago.
  await pool.query(
    `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at, amount, currency)
     SELECT c.id, CASE WHEN n % 2 = 0 THEN 'service' ELSE 'visit' END, 'demo', c.id || '-visit-' || n,
            now() - (n * c.expected_visit_days + (length(c.id) + n) % 5) * interval '1 day',
            CASE WHEN n % 2 = 0 THEN 120 + (n * 37) % 300 END, CASE WHEN n % 2 = 0 THEN 'EUR' END
       FROM customers c, generate_series(0, 12) n
      WHERE c.id LIKE 'D-%' AND c.expected_visit_days IS NOT NULL AND n * c.expected_visit_days <= 365
        AND n >= CASE WHEN substr(c.id, 3)::int % 11 = 0 THEN 3 WHEN substr(c.id, 3)::int % 7 = 0 THEN 2 ELSE 0 END
     ON CONFLICT (source, external_id) DO NOTHING`,
  );
  // Orders every few weeks for a year; every 5th customer ordered nothing in the last four months.
  await pool.query(
    `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at, amount, currency)
     SELECT c.id, 'order', 'demo', c.id || '-order-' || n, now() - (n * 21 + substr(c.id, 3)::int % 9) * interval '1 day',
            200 + (substr(c.id, 3)::int * n * 13) % 2000, 'EUR'
       FROM customers c, generate_series(0, 17) n
      WHERE c.id LIKE 'D-%' AND c.expected_visit_days IS NULL AND (substr(c.id, 3)::int % 5 <> 0 OR n * 21 > 120)
     ON CONFLICT (source, external_id) DO NOTHING`,
  );
  // Payments after orders, and a complaint in the last fortnight for every 23rd customer.
  await pool.query(
    `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at, amount, currency, details)
     SELECT a.customer_id, 'payment', 'demo', a.external_id || '-paid', a.occurred_at + interval '10 days', a.amount, a.currency, '{}'
       FROM customer_activity a WHERE a.source = 'demo' AND a.kind = 'order' AND a.occurred_at < now() - interval '10 days'
     UNION ALL
     SELECT 'D-' || lpad(g::text, 3, '0'), 'complaint', 'demo', 'D-' || lpad(g::text, 3, '0') || '-complaint', now() - (g % 14) * interval '1 day', NULL, NULL,
            jsonb_build_object('summary', (ARRAY['waited two hours for a service','invoice was wrong','rude on the phone'])[g % 3 + 1])
       FROM generate_series(23, ${DEMO_CUSTOMERS}, 23) g
     ON CONFLICT (source, external_id) DO NOTHING`,
  );
  await pool.query(
    `UPDATE customers c SET last_seen_at = s.at FROM (
       SELECT customer_id, max(occurred_at) AS at FROM customer_activity WHERE source = 'demo' AND kind IN ('visit', 'service', 'order') GROUP BY customer_id) s
      WHERE c.id = s.customer_id AND c.last_seen_at IS NULL`,
  );
  await listenFor(pool, 'tiered-win-back', 'customer.pre_churn');
  await listenFor(pool, 'complaint-response', 'customer.complaint');
}

/**
 * The templates' version 1 listens for its trigger (playbooks/templates); a demo database seeded
 * before they did has a version 1 started by hand: it gets a listening version 2, published once.
 */
async function listenFor(pool: Pool, key: string, trigger: string): Promise<void> {
  const { rows } = await pool.query<{ version: number; graph: PlaybookGraph; plan: CompiledPlan }>(
    'SELECT version, graph, plan FROM playbook_versions WHERE playbook_key = $1 ORDER BY version DESC LIMIT 1',
    [key],
  );
  const latest = rows[0];
  // Only the untouched demo template: once people published their own versions, theirs stand.
  if (!latest || latest.version !== 1 || listensFor(startConfigOf(latest.plan), trigger)) return;
  const graph: PlaybookGraph = {
    ...latest.graph,
    nodes: latest.graph.nodes.map((n) => (n.kind === 'start' ? { ...n, config: { ...n.config, trigger: 'event', triggerKey: trigger } } : n)),
  };
  const compiled = compilePlaybook(graph, await loadDirectory(pool));
  if (!compiled.plan) return;
  await pool.query(
    `INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash, published_by) VALUES ($1, 2, $2, $3, $4, 'u-olga') ON CONFLICT DO NOTHING`,
    [key, JSON.stringify(graph), JSON.stringify(compiled.plan), compiled.plan.hash],
  );
  await pool.query('UPDATE playbooks SET draft_graph = $2, draft_revision = draft_revision + 1 WHERE key = $1', [key, JSON.stringify(graph)]);
}
