import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { Identifier } from '../../playbooks/graph';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { ArchivedFilter, ArchiveState, Deleted, Duplicated, PlaybookOverview } from '../../contract/playbookLifecycle';
import { DESIGNERS } from '../../contract/roles';
import { attemptInReach } from '../access';
import type { Deps } from '../deps';
import { conflict, notFound } from '../errors';
import { reply, route, type RouteDef } from '../http';
import { Params } from '../inbox/query';

/**
 * A playbook's life after its first draft: archived when no longer used (and back), duplicated as
 * the start of a new one, deleted while it is only a draft. Published versions are evidence that
 * attempts are pinned to, so a playbook that was ever published (or ever ran) is archived, never
 * deleted. Archived playbooks are not started by triggers (runs.ts asks `notArchived`). Every change
 * is audited in the transaction that makes it.
 */

const OverviewQuery = z.object({
  q: z.string().max(200).optional(),
  archived: ArchivedFilter.default('exclude'),
});
const DuplicateBody = z.object({
  key: Identifier.optional(),
  name: z.string().trim().min(1).max(200).optional(),
});

/** SQL condition for a trigger's candidate playbook key column: the playbook is not archived. */
export const notArchived = (keyColumn: string): string => `NOT EXISTS (SELECT 1 FROM playbooks ap WHERE ap.key = ${keyColumn} AND ap.archived_at IS NOT NULL)`;

interface OverviewRow {
  key: string;
  name: string;
  description: string;
  draft_revision: number;
  updated_at: Date;
  updated_by: string | null;
  updated_by_name: string | null;
  latest_version: number | null;
  last_published_at: Date | null;
  last_published_by: string | null;
  last_published_by_name: string | null;
  running: number;
  attempts: number;
  archived_at: Date | null;
  archived_by: string | null;
  archived_by_name: string | null;
}

const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The playbook row, locked for the change; 404 when there is none. */
async function lockPlaybook(client: PoolClient, key: string) {
  const { rows } = await client.query<{
    key: string;
    name: string;
    description: string;
    draft_graph: unknown;
    draft_revision: number;
    archived_at: Date | null;
  }>('SELECT key, name, description, draft_graph, draft_revision, archived_at FROM playbooks WHERE key = $1 FOR UPDATE', [key]);
  if (!rows[0]) throw notFound(`playbook ${key}`);
  return rows[0];
}

/** A key for the copy: `<key>-copy`, then `-copy-2`…, within the identifier's 64 characters. */
async function freeCopyKey(db: Pool | PoolClient, key: string): Promise<string> {
  const base = `${key.slice(0, 54)}-copy`;
  const { rows } = await db.query<{ key: string }>(`SELECT key FROM playbooks WHERE key = $1 OR key LIKE $2`, [
    base,
    `${base.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`,
  ]);
  const taken = new Set(rows.map((r) => r.key));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function playbookLifecycleRoutes({ pool }: Deps): RouteDef[] {
  const setArchived = (archive: boolean) =>
    route({
      method: 'post',
      path: `/api/playbooks/:key/${archive ? 'archive' : 'unarchive'}`,
      summary: archive
        ? 'Archive a playbook: it stays readable and its running attempts go on, but triggers no longer start it'
        : 'Bring an archived playbook back: triggers start it again',
      tag: 'playbooks',
      access: DESIGNERS,
      response: ArchiveState,
      errors: { 404: 'no such playbook' },
      async handle({ params, user }) {
        return inTransaction(pool, async (client) => {
          const p = await lockPlaybook(client, params.key);
          if (!!p.archived_at === archive) return { key: p.key, archivedAt: iso(p.archived_at), changed: false };
          const { rows } = await client.query<{ archived_at: Date | null }>(
            archive
              ? 'UPDATE playbooks SET archived_at = now(), archived_by = $2 WHERE key = $1 RETURNING archived_at'
              : 'UPDATE playbooks SET archived_at = NULL, archived_by = NULL WHERE key = $1 RETURNING archived_at',
            archive ? [p.key, user.id] : [p.key],
          );
          await recordAudit(client, {
            actorId: user.id,
            action: archive ? 'playbook_archived' : 'playbook_unarchived',
            subject: p.key,
            details: { name: p.name },
          });
          return { key: p.key, archivedAt: iso(rows[0].archived_at), changed: true };
        });
      },
    });

  return [
    route<undefined, z.infer<typeof OverviewQuery>>({
      method: 'get',
      path: '/api/playbook-overview',
      summary: 'The playbook list for choosing one: running attempts, last published (when, by whom), who saved the draft, archived or not; searchable',
      tag: 'playbooks',
      access: 'signed_in',
      query: OverviewQuery,
      response: PlaybookOverview,
      async handle({ query, user }) {
        const p = new Params();
        const where: string[] = [];
        if (query.archived === 'exclude') where.push('p.archived_at IS NULL');
        if (query.archived === 'only') where.push('p.archived_at IS NOT NULL');
        const q = query.q?.trim();
        if (q) {
          const pattern = p.add(like(q));
          where.push(`(p.name ILIKE ${pattern} OR p.key ILIKE ${pattern} OR p.description ILIKE ${pattern})`);
        }
        // Attempt counts are reads of attempts: only those of customers within the reader's reach.
        const reach = attemptInReach(user, p, 'a');
        const { rows } = await pool.query<OverviewRow>(
          `SELECT p.key, p.name, p.description, p.draft_revision, p.updated_at, p.updated_by, uu.display_name AS updated_by_name,
                  lv.version AS latest_version, lv.published_at AS last_published_at, lv.published_by AS last_published_by,
                  pu.display_name AS last_published_by_name,
                  p.archived_at, p.archived_by, au.display_name AS archived_by_name,
                  COALESCE(att.running, 0)::int AS running, COALESCE(att.attempts, 0)::int AS attempts
             FROM playbooks p
             LEFT JOIN users uu ON uu.id = p.updated_by
             LEFT JOIN users au ON au.id = p.archived_by
             LEFT JOIN LATERAL (
               SELECT v.version, v.published_at, v.published_by FROM playbook_versions v WHERE v.playbook_key = p.key ORDER BY v.version DESC LIMIT 1
             ) lv ON TRUE
             LEFT JOIN users pu ON pu.id = lv.published_by
             LEFT JOIN LATERAL (
               SELECT count(*) FILTER (WHERE a.status = 'running') AS running, count(*) AS attempts
                 FROM recovery_attempts a WHERE a.playbook_key = p.key AND ${reach}
             ) att ON TRUE
            ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
            ORDER BY p.name, p.key`,
          p.values,
        );
        const body = {
          playbooks: rows.map((r) => ({
            key: r.key,
            name: r.name,
            description: r.description,
            draftRevision: r.draft_revision,
            updatedAt: r.updated_at.toISOString(),
            updatedBy: person(r.updated_by, r.updated_by_name),
            latestVersion: r.latest_version,
            lastPublishedAt: iso(r.last_published_at),
            lastPublishedBy: person(r.last_published_by, r.last_published_by_name),
            runningAttempts: r.running,
            attempts: r.attempts,
            archivedAt: iso(r.archived_at),
            archivedBy: person(r.archived_by, r.archived_by_name),
          })),
        };
        // A list that changes with every archive, copy or delete: the browser must not answer a repeated search from its cache.
        return reply(200, body, { 'Cache-Control': 'no-store' });
      },
    }),
    setArchived(true),
    setArchived(false),
    route<z.infer<typeof DuplicateBody>>({
      method: 'post',
      path: '/api/playbooks/:key/duplicate',
      summary: 'Copy a playbook’s draft into a new playbook (a draft, unpublished); its key and name are chosen or derived',
      tag: 'playbooks',
      access: DESIGNERS,
      body: DuplicateBody,
      response: Duplicated,
      success: [201],
      errors: { 404: 'no such playbook', 409: 'a playbook with that key exists' },
      async handle({ params, body, user }) {
        return inTransaction(pool, async (client) => {
          const source = await lockPlaybook(client, params.key);
          const key = body.key ?? (await freeCopyKey(client, source.key));
          const name = body.name ?? `${source.name} (copy)`.slice(0, 200);
          const { rowCount } = await client.query(
            `INSERT INTO playbooks (key, name, description, draft_graph, updated_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING`,
            [key, name, source.description, JSON.stringify(source.draft_graph), user.id],
          );
          if (!rowCount) throw conflict('playbook_exists', `a playbook with the key ${key} already exists: choose another key`, { key });
          await recordAudit(client, {
            actorId: user.id,
            action: 'playbook_duplicated',
            subject: key,
            details: { from: source.key, revision: source.draft_revision, name },
          });
          return reply(201, { key, name, from: source.key });
        });
      },
    }),
    route({
      method: 'delete',
      path: '/api/playbooks/:key',
      summary: 'Delete a playbook that was never published (a draft); a published one is archived instead',
      tag: 'playbooks',
      access: DESIGNERS,
      response: Deleted,
      errors: { 404: 'no such playbook', 409: 'the playbook has published versions or attempts: archive it instead' },
      async handle({ params, user }) {
        return inTransaction(pool, async (client) => {
          const p = await lockPlaybook(client, params.key);
          // Publishing locks the same row, so no version can appear between this check and the delete.
          const { rows } = await client.query<{ versions: number; attempts: number }>(
            `SELECT (SELECT count(*) FROM playbook_versions WHERE playbook_key = $1)::int AS versions,
                    (SELECT count(*) FROM recovery_attempts WHERE playbook_key = $1)::int AS attempts`,
            [p.key],
          );
          const { versions, attempts } = rows[0];
          if (versions > 0 || attempts > 0)
            throw conflict(
              'playbook_published',
              `${p.name} has ${versions} published version${versions === 1 ? '' : 's'} and ${attempts} attempt${attempts === 1 ? '' : 's'}: archive it instead`,
              { versions, attempts },
            );
          await client.query('DELETE FROM playbooks WHERE key = $1', [p.key]);
          await recordAudit(client, { actorId: user.id, action: 'playbook_deleted', subject: p.key, details: { name: p.name, revision: p.draft_revision } });
          return { key: p.key, deleted: true as const };
        });
      },
    }),
  ];
}
