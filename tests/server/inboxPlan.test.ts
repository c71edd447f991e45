import { Pool } from 'pg';
import type { SessionUser } from '../../server/http';
import { buildInboxQuery, InboxQuery } from '../../server/inbox/query';
import { scratchDatabase } from '../support/scratchDatabase';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
/** The tables an EXPLAIN (FORMAT JSON) answer reads whole. */
const tablesScanned = (explained: { rows: { 'QUERY PLAN': { Plan: PlanNode }[] }[] }) =>
  nodesOf(explained.rows[0]['QUERY PLAN'][0].Plan)
    .filter((n) => n['Node Type'] === 'Seq Scan')
    .map((n) => n['Relation Name']);

/** The first page's statement, as GET /api/inbox builds it. */
function firstPage(user: SessionUser) {
  const built = buildInboxQuery(user, InboxQuery.parse({ limit: '50' }));
  if ('error' in built) throw new Error(built.error);
  return built;
}

/**
 * GET /api/inbox runs its page statement on every request, so its plan must not grow with the
 * customer book. Joined to customers before the page was cut, PostgreSQL hashed the whole customers
 * table for each request (a sequential scan: 10,000 customers cost 1.2 ms of execution, and
 * every customer added made every inbox slower). The page's rows must find their customers by key.
 */
describe('the inbox page plan', () => {
  let pool: Pool;
  const rep: SessionUser = { id: 'u-r1', username: 'r1', displayName: 'Rep One', role: 'rep', department: 'd1' };
  const head: SessionUser = { id: 'u-h1', username: 'h1', displayName: 'Head One', role: 'department_head', department: 'd1' };

  beforeAll(async () => {
    const db = await scratchDatabase('inboxplan');
    pool = new Pool({ connectionString: db.appUrl });
    await pool.query("INSERT INTO departments (id, name) VALUES ('d1', 'After-sales')");
    await pool.query(`INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES
      ('u-r1', 'r1', 'Rep One', 'x', 'rep', 'd1'), ('u-h1', 'h1', 'Head One', 'x', 'department_head', 'd1')`);
    await pool.query(
      "INSERT INTO customers (id, name, grade, value, department_id) SELECT 'C-' || g, 'Customer ' || g, 'ordinary', g, 'd1' FROM generate_series(1, 10000) g",
    );
    await pool.query(`INSERT INTO playbooks (key, name, draft_graph) VALUES ('pb', 'Playbook', '{"nodes":[],"edges":[]}')`);
    await pool.query(`INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ('pb', 1, '{}', '{}', 'x')`);
    await pool.query(
      "INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version) SELECT gen_random_uuid(), 'recovery/C-' || g || '/pb', 'C-' || g, 'pb', 1 FROM generate_series(1, 10000) g",
    );
    // One open task per attempt, all in one department (as bench:scale's sleeping attempts), a few named to the rep.
    await pool.query(
      `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, assignee_role, department_id, assignee_user_id,
                          priority, outcomes, status, due_at)
       SELECT a.id, a.workflow_id, 'call', 'call', a.customer_id, 'pb', 'Call back', 'rep', c.department_id,
              CASE WHEN c.value % 50 = 0 THEN 'u-r1' END, 'normal', '[{"key":"done","label":"Done"}]', 'open', now() + interval '21 days'
         FROM recovery_attempts a JOIN customers c ON c.id = a.customer_id`,
    );
    // As the tables' owner: the app's role may not analyze them, and the plan depends on real statistics.
    const owner = new Pool({ connectionString: db.ownerUrl });
    await owner.query('VACUUM ANALYZE').finally(() => owner.end());
  });
  afterAll(() => pool?.end());

  it.each([
    ['a rep', rep],
    ['a department head', head],
  ])("reads no whole customers table for %s's page, and the page is whole and in order", async (_who, user) => {
    const built = firstPage(user);
    expect(tablesScanned(await pool.query(`EXPLAIN (FORMAT JSON) ${built.text}`, built.values))).toEqual([]);

    const page = await pool.query(built.text, built.values);
    expect(page.rows).toHaveLength(51);
    expect(page.rows.every((r) => r.customer_name === `Customer ${r.customer_id.slice(2)}`)).toBe(true);
    const keys = page.rows.map((r) => `${r.sort_0}|${r.sort_1}`);
    expect(keys).toEqual([...keys].sort());
  });

  // The plan PostgreSQL keeps for a named statement (the generic one, used once it is no dearer than
  // planning each request) must read the open tasks' partial indexes too: with the status as a
  // parameter it could not, and a head's kept plan sorted every open task of the department.
  it.each([
    ['a rep', rep],
    ['a department head', head],
  ])("keeps a plan for %s's page that reads indexes, not the tasks table", async (_who, user) => {
    const built = firstPage(user);
    const client = await pool.connect();
    try {
      await client.query(`PREPARE page AS ${built.text}`);
      await client.query('SET plan_cache_mode = force_generic_plan');
      const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
      expect(tablesScanned(await client.query(`EXPLAIN (FORMAT JSON) EXECUTE page(${built.values.map(literal).join(', ')})`))).toEqual([]);
    } finally {
      client.release(true);
    }
  });
});
