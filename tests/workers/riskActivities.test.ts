import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../platform/db/pool';
import { createRiskActivities } from '../../workers/riskActivities';
import { env } from '../support/product';

/**
 * Which playbooks a rule's trigger starts is read from every published version. A row whose plan
 * is not a plan (a hand-written fixture, a damaged row) listens for nothing: before, it made the
 * activity throw, and every evaluation after it retried for ever (the full suite hung on it).
 */
describe('listeningPlaybooks', () => {
  const pool: Pool = createPool(env().databaseUrl);
  afterAll(() => pool.end());

  it('skips a published version whose stored plan has no nodes, and still finds the ones that listen', async () => {
    const broken = `broken-plan-${randomUUID().slice(0, 8)}`;
    await pool.query(`INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, 'Broken', '{"nodes":[],"edges":[]}')`, [broken]);
    await pool.query(`INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 1, '{"nodes":[],"edges":[]}', '{}', 'x')`, [
      broken,
    ]);
    const listening = await createRiskActivities(pool).listeningPlaybooks({ triggers: ['customer.pre_churn', 'customer.complaint'] });
    expect(Object.keys(listening).sort()).toEqual(['customer.complaint', 'customer.pre_churn']);
    expect(
      Object.values(listening)
        .flat()
        .some((p) => p.key === broken),
    ).toBe(false);
    await pool.query('UPDATE playbooks SET archived_at = now() WHERE key = $1', [broken]);
  });
});
