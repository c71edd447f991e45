import { z } from 'zod';
import { ROLES, type Directory } from '../../playbooks/directory';
import { Identifier, PlaybookGraph } from '../../playbooks/graph';
import type { Pool } from 'pg';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { checkDraftOffLoop, compileJsonOffLoop, compileOffLoop } from '../compilePool';
import type { Deps } from '../deps';
import { ApiError, conflict, invalid, notFound } from '../errors';
import { problemsFromZod } from '../../playbooks/problems';
import { reply, route, type RouteDef } from '../http';
import { CompileResult, DraftSaved, PlaybookDetail, PlaybookList, PlaybookVersion, Published } from '../../contract/playbooks';
import { DESIGNERS } from '../../contract/roles';

export async function loadDirectory(pool: Pool): Promise<Directory> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM departments ORDER BY id');
  return { roles: ROLES, departments: rows.map((r) => r.id) };
}

const DraftFields = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
});
/** What a draft save takes; the graph part is checked with the compile, on a compile thread. */
const DraftBody = DraftFields.extend({ graph: PlaybookGraph });
const CompileBody = z.object({ graph: z.unknown() });

interface PlaybookRow {
  key: string;
  name: string;
  description: string;
  draft_graph: unknown;
  draft_revision: number;
  updated_at: Date;
  updated_by: string | null;
}

export function playbookRoutes({ pool }: Deps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/playbooks',
      summary: 'List playbooks with their latest published version',
      tag: 'playbooks',
      access: 'signed_in',
      response: PlaybookList,
      async handle() {
        const { rows } = await pool.query(
          `SELECT p.key, p.name, p.description, p.draft_revision, p.updated_at,
                  (SELECT max(version) FROM playbook_versions v WHERE v.playbook_key = p.key) AS latest_version
             FROM playbooks p ORDER BY p.name`,
        );
        return {
          playbooks: rows.map((r) => ({
            key: r.key,
            name: r.name,
            description: r.description,
            draftRevision: r.draft_revision,
            updatedAt: r.updated_at,
            latestVersion: r.latest_version,
          })),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/playbooks/:key',
      summary: 'Read a playbook: its draft, the draft problems and its versions',
      tag: 'playbooks',
      access: 'signed_in',
      response: PlaybookDetail,
      errors: { 404: 'no such playbook' },
      async handle({ params }) {
        const { rows } = await pool.query<PlaybookRow>('SELECT * FROM playbooks WHERE key = $1', [params.key]);
        if (!rows[0]) throw notFound(`playbook ${params.key}`);
        const p = rows[0];
        const versions = await pool.query(
          'SELECT v.version, v.plan_hash, v.published_by, u.display_name AS published_by_name, v.published_at FROM playbook_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.playbook_key = $1 ORDER BY v.version DESC',
          [p.key],
        );
        const compiled = await compileOffLoop(p.draft_graph, await loadDirectory(pool));
        return reply(
          200,
          {
            key: p.key,
            name: p.name,
            description: p.description,
            draft: { graph: p.draft_graph, revision: p.draft_revision, updatedAt: p.updated_at, updatedBy: p.updated_by },
            problems: compiled.problems,
            // Not blocking: e.g. a message placeholder that some path leaves unset.
            warnings: compiled.warnings ?? [],
            worstCaseDurationMs: compiled.worstCaseDurationMs,
            versions: versions.rows.map((v) => ({
              version: v.version,
              hash: v.plan_hash,
              publishedBy: v.published_by,
              publishedByName: v.published_by_name ?? null,
              publishedAt: v.published_at,
            })),
          },
          { ETag: `"${p.draft_revision}"` },
        );
      },
    }),
    route<unknown>({
      method: 'put',
      path: '/api/playbooks/:key/draft',
      summary: 'Save a draft (creates the playbook on first save); If-Match guards against overwriting a newer draft',
      tag: 'playbooks',
      access: DESIGNERS,
      body: DraftBody,
      bodyCheckedBy: 'handler',
      response: DraftSaved,
      errors: { 412: 'the draft changed since you loaded it, or If-Match names a playbook that does not exist' },
      async handle({ params, body, user, req }) {
        const key = Identifier.safeParse(params.key);
        if (!key.success)
          throw new ApiError(400, 'invalid_request', 'the playbook key is not valid', {
            problems: [{ code: 'invalid_key', message: key.error.issues[0].message, path: ['params', 'key'] }],
          });
        // If-Match carries the revision as a strong ETag ("7"); anything else can never match.
        const ifMatch = req.headers['if-match'];
        const match = ifMatch ? /^"(\d{1,9})"$/.exec(String(ifMatch).trim()) : null;
        const expected = !ifMatch || ifMatch === '*' ? null : match ? Number(match[1]) : -1;
        // Checked and compiled first (the graph off the event loop), every problem at once: a draft that
        // is not one is a 400 and stored nowhere.
        const sent = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
        if (!sent) throw invalid([{ code: 'invalid_type', message: 'expected an object with name, description and graph', path: [] }]);
        const fields = DraftFields.safeParse(sent);
        const checked = await checkDraftOffLoop(sent.graph, await loadDirectory(pool));
        const problems = [...(fields.success ? [] : problemsFromZod(fields.error.issues)), ...(checked.ok ? [] : checked.problems)];
        if (!fields.success || !checked.ok) throw invalid(problems);
        const { graphJson, compiled } = checked;
        const values = [params.key, fields.data.name, fields.data.description, graphJson, user.id];
        // With If-Match the save is an update of what the client loaded: a playbook that does not
        // exist matches no tag (not even *), so it is never created by a conditional save.
        const { rows } = ifMatch
          ? await pool.query<PlaybookRow>(
              `UPDATE playbooks SET name = $2, description = $3, draft_graph = $4, updated_by = $5, updated_at = now(), draft_revision = draft_revision + 1
                WHERE key = $1 AND ($6::int IS NULL OR draft_revision = $6::int) RETURNING *`,
              [...values, expected],
            )
          : await pool.query<PlaybookRow>(
              `INSERT INTO playbooks (key, name, description, draft_graph, updated_by) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, draft_graph = EXCLUDED.draft_graph,
                 updated_by = EXCLUDED.updated_by, updated_at = now(), draft_revision = playbooks.draft_revision + 1
               RETURNING *`,
              values,
            );
        if (!rows[0]) {
          const current = await pool.query('SELECT draft_revision, updated_by, updated_at FROM playbooks WHERE key = $1', [params.key]);
          if (!current.rows[0])
            throw new ApiError(
              412,
              'playbook_not_found',
              `playbook ${params.key} does not exist, so If-Match cannot match; save without If-Match to create it`,
            );
          throw new ApiError(412, 'draft_changed', 'someone saved a newer draft since you loaded it', {
            currentRevision: current.rows[0].draft_revision,
            updatedBy: current.rows[0].updated_by,
            updatedAt: current.rows[0].updated_at,
          });
        }
        return reply(
          200,
          { key: params.key, revision: rows[0].draft_revision, problems: compiled.problems, warnings: compiled.warnings ?? [] },
          { ETag: `"${rows[0].draft_revision}"` },
        );
      },
    }),
    route<z.infer<typeof CompileBody>>({
      method: 'post',
      path: '/api/playbooks/compile',
      summary: 'Compile a graph: every problem at once, the plan hash and the worst-case duration',
      tag: 'playbooks',
      access: 'signed_in',
      safe: true,
      body: CompileBody,
      // Sent by the handler (the plan spliced in as text), so mount cannot check it; tests/server/contract.test.ts does.
      response: CompileResult,
      async handle({ body, res }) {
        const result = await compileOffLoop(body.graph, await loadDirectory(pool));
        // The plan arrives as JSON text from the compile thread: spliced in, not parsed and written again here.
        const head = JSON.stringify({
          ok: result.ok,
          problems: result.problems,
          warnings: result.warnings ?? [],
          hash: result.hash,
          worstCaseDurationMs: result.worstCaseDurationMs,
        });
        res.type('json').send(`${head.slice(0, -1)},"plan":${result.planJson ?? 'null'}}`);
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks/:key/publish',
      summary: 'Publish the draft as the next immutable numbered version (only with zero problems)',
      tag: 'playbooks',
      access: DESIGNERS,
      response: Published,
      success: [200, 201],
      errors: { 404: 'no such playbook', 422: 'the draft has problems' },
      async handle({ params, user }) {
        try {
          return await inTransaction(pool, async (client) => {
            // Serialise publishes of one playbook so version numbers never collide.
            // The draft as text: parsed, compiled and the plan written back as text on a compile thread.
            const { rows } = await client.query<{ draft_json: string }>('SELECT draft_graph::text AS draft_json FROM playbooks WHERE key = $1 FOR UPDATE', [
              params.key,
            ]);
            if (!rows[0]) throw notFound(`playbook ${params.key}`);
            const compiled = await compileJsonOffLoop(rows[0].draft_json, await loadDirectory(pool));
            if (!compiled.planJson || !compiled.hash)
              throw new ApiError(422, 'playbook_has_problems', `the draft has ${compiled.problems.length} problem(s)`, { problems: compiled.problems });
            const latest = await client.query('SELECT version, plan_hash FROM playbook_versions WHERE playbook_key = $1 ORDER BY version DESC LIMIT 1', [
              params.key,
            ]);
            if (latest.rows[0]?.plan_hash === compiled.hash) {
              return reply(200, { key: params.key, version: latest.rows[0].version, hash: compiled.hash, unchanged: true });
            }
            const version = (latest.rows[0]?.version ?? 0) + 1;
            await client.query('INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash, published_by) VALUES ($1, $2, $3, $4, $5, $6)', [
              params.key,
              version,
              rows[0].draft_json,
              compiled.planJson,
              compiled.hash,
              user.id,
            ]);
            await recordAudit(client, {
              actorId: user.id,
              action: 'playbook_published',
              subject: `${params.key}@${version}`,
              details: { hash: compiled.hash },
            });
            return reply(201, { key: params.key, version, hash: compiled.hash, worstCaseDurationMs: compiled.worstCaseDurationMs, unchanged: false });
          });
        } catch (err) {
          if (err && typeof err === 'object' && 'code' in err && err.code === '23505')
            throw conflict('publish_conflict', 'another publish of this playbook happened at the same time; try again');
          throw err;
        }
      },
    }),
    route({
      method: 'get',
      path: '/api/playbooks/:key/versions/:version',
      summary: 'Read one published version: graph, compiled plan and hash',
      tag: 'playbooks',
      access: 'signed_in',
      response: PlaybookVersion,
      errors: { 404: 'no such version' },
      async handle({ params }) {
        const version = Number(params.version);
        if (!Number.isInteger(version) || version < 1) throw notFound(`version ${params.version}`);
        const { rows } = await pool.query(
          `SELECT v.*, p.name, u.display_name AS published_by_name FROM playbook_versions v JOIN playbooks p ON p.key = v.playbook_key
            LEFT JOIN users u ON u.id = v.published_by WHERE v.playbook_key = $1 AND v.version = $2`,
          [params.key, version],
        );
        if (!rows[0]) throw notFound(`version ${params.version} of playbook ${params.key}`);
        const v = rows[0];
        return {
          key: v.playbook_key,
          name: v.name,
          version: v.version,
          graph: v.graph,
          plan: v.plan,
          hash: v.plan_hash,
          publishedBy: v.published_by,
          publishedByName: v.published_by_name ?? null,
          publishedAt: v.published_at,
        };
      },
    }),
  ];
}
