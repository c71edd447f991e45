import type { Pool } from 'pg';
import { z } from 'zod';
import { OperateFilter, type SavedViewBody } from '../../contract/operate';
import { conflict, notFound } from '../errors';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { filterSql } from './list';

/**
 * An operator's saved filters of the attempt list ("asleep > 30 days in win-back v3"): each
 * person's own, named uniquely per person (operate_views).
 */

/**
 * A stored filter through today's schema, field by field: a field an older version stored that no
 * longer passes (or exists) is dropped, so one old view cannot break the list of them.
 */
function storedFilter(stored: unknown): OperateFilter {
  const whole = OperateFilter.safeParse(stored);
  if (whole.success) return whole.data;
  const fields = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const kept = Object.fromEntries(
    Object.entries(OperateFilter.shape).flatMap(([name, schema]) => {
      const one = (schema as z.ZodType).safeParse(fields[name]);
      return one.success && one.data !== undefined ? [[name, one.data]] : [];
    }),
  );
  return OperateFilter.parse(kept);
}

function savedView(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    name: String(r.name),
    filter: storedFilter(r.filter),
    createdAt: (r.created_at as Date).toISOString(),
  };
}

export async function listViews(pool: Pool, user: SessionUser) {
  const { rows } = await pool.query('SELECT id, name, filter, created_at FROM operate_views WHERE user_id = $1 ORDER BY name, id', [user.id]);
  return rows.map(savedView);
}

export async function saveView(pool: Pool, user: SessionUser, body: z.infer<typeof SavedViewBody>) {
  // The filter is checked as the list would check it, so a view that saves is a view that opens.
  filterSql(user, body.filter, new Params(), ['filter']);
  try {
    const { rows } = await pool.query('INSERT INTO operate_views (user_id, name, filter) VALUES ($1, $2, $3) RETURNING id, name, filter, created_at', [
      user.id,
      body.name,
      JSON.stringify(body.filter),
    ]);
    return savedView(rows[0]);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw conflict('view_exists', `you already have a view named "${body.name}"`, { name: body.name });
    throw err;
  }
}

/** Deletes the caller's own view; someone else's answers 404, as one that does not exist. */
export async function deleteView(pool: Pool, user: SessionUser, id: string): Promise<void> {
  if (!z.uuid().safeParse(id).success) throw notFound(`view ${id}`);
  const { rowCount } = await pool.query('DELETE FROM operate_views WHERE id = $1 AND user_id = $2', [id, user.id]);
  if (!rowCount) throw notFound(`view ${id}`);
}
