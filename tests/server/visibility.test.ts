import fc from 'fast-check';
import type { Pool } from 'pg';
import { ROLES } from '../../contract/roles';
import { createPool } from '../../platform/db/pool';
import type { SessionUser } from '../../server/http';
import { canSeeChange } from '../../server/inbox/live';
import { Params } from '../../server/inbox/params';
import { canSeePlacement, visibility, visibilityBranches, type Placement } from '../../server/inbox/visibility';
import { env } from '../support/product';

/**
 * The visibility rule is written once (server/inbox/visibility.ts) and read twice: as SQL by the
 * inbox, its counts and the department reach, and in JS by the live stream. PostgreSQL is the judge
 * here: for random people and random task placements, the rows its WHERE keeps are exactly the
 * placements the JS predicate accepts, and each visible task falls in exactly one branch (the inbox
 * combines branches with UNION ALL, so an overlap would list a task twice).
 */
let pool: Pool;
beforeAll(() => {
  pool = createPool(env().databaseUrl);
});
afterAll(async () => {
  await pool.end();
});

// Few values, so equal ones meet often: the edges of the rule are where ids and departments coincide.
const ids = ['u1', 'u2', 'u3'];
const departments = ['after_sales', 'key_accounts'];
const user = fc.record({
  id: fc.constantFrom(...ids),
  username: fc.constant('someone'),
  displayName: fc.constant('Someone'),
  role: fc.constantFrom(...ROLES),
  department: fc.constantFrom(null, ...departments),
}) as fc.Arbitrary<SessionUser>;
const placement: fc.Arbitrary<Placement> = fc.record({
  department: fc.constantFrom(null, ...departments),
  role: fc.constantFrom(...ROLES),
  userId: fc.constantFrom(null, ...ids),
  claimedBy: fc.constantFrom(null, ...ids),
});

/** The indexes of the placements that `condition` (built on `p`, after the rows parameter) keeps, by PostgreSQL. */
async function keptBySql(placements: Placement[], condition: (p: Params) => string): Promise<number[]> {
  const p = new Params();
  const rows = p.add(
    JSON.stringify(placements.map((c, i) => ({ i, department_id: c.department, assignee_role: c.role, assignee_user_id: c.userId, claimed_by: c.claimedBy }))),
  );
  const where = condition(p);
  const { rows: kept } = await pool.query<{ i: number }>(
    `SELECT t.i FROM jsonb_to_recordset(${rows}::jsonb) AS t(i int, department_id text, assignee_role text, assignee_user_id text, claimed_by text)
      WHERE ${where} ORDER BY t.i`,
    p.values,
  );
  return kept.map((r) => r.i);
}

const indexesWhere = (placements: Placement[], keep: (c: Placement) => boolean) => placements.flatMap((c, i) => (keep(c) ? [i] : []));

test('the inbox SQL and the live stream agree on who sees which task, for random people and tasks', async () => {
  await fc.assert(
    fc.asyncProperty(user, fc.array(placement, { minLength: 1, maxLength: 40 }), async (viewer, placements) => {
      const bySql = await keptBySql(placements, (p) => visibility(viewer, p));
      expect(bySql).toEqual(indexesWhere(placements, (c) => canSeePlacement(viewer, c)));
    }),
    { numRuns: 300 },
  );
});

test('each visible task is in exactly one branch, in SQL and in JS', async () => {
  await fc.assert(
    fc.asyncProperty(user, fc.array(placement, { minLength: 1, maxLength: 40 }), async (viewer, placements) => {
      const perBranch = await Promise.all(visibilityBranches(viewer).map((b) => keptBySql(placements, (p) => b.where(p))));
      const all = perBranch.flat().sort((a, b) => a - b);
      expect(all).toEqual([...new Set(all)]);
      expect(all).toEqual(indexesWhere(placements, (c) => canSeePlacement(viewer, c)));
    }),
    { numRuns: 200 },
  );
});

test('a change concerns whoever could see the task before it moved or can see it now', () => {
  const rep: SessionUser = { id: 'u1', username: 'rita', displayName: 'Rita', role: 'rep', department: 'after_sales' };
  const queue: Placement = { department: 'after_sales', role: 'rep', userId: null, claimedBy: null };
  const elsewhere: Placement = { department: 'key_accounts', role: 'rep', userId: 'u2', claimedBy: null };
  const change = { id: 't', attemptId: 'a', status: 'open', op: 'update' as const };
  expect(canSeeChange(rep, { ...change, ...elsewhere, before: queue })).toBe(true);
  expect(canSeeChange(rep, { ...change, ...elsewhere, before: null })).toBe(false);
  expect(canSeeChange(rep, { ...change, ...queue })).toBe(true);
});
