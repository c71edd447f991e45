import { z } from 'zod';
import { Ok } from '../../contract/common';
import {
  IncidentList,
  MigrationPlan,
  OperateCounts,
  OperateList,
  OperateListQuery,
  OperationHistory,
  SavedView,
  SavedViewBody,
  SavedViewList,
} from '../../contract/operate';
import { OPERATE_READERS, type Role } from '../../contract/roles';
import { reachableAttempt } from '../access';
import type { Deps } from '../deps';
import { invalid, notFound } from '../errors';
import { reply, route, type RouteDef } from '../http';
import { attemptCounts, listAttempts, listIncidents, operationHistory, temporalLink } from '../operate/list';
import { migrationPlan } from '../operate/migrationPlan';
import { deleteView, listViews, saveView } from '../operate/views';

/** Saved views change something, so the auditor, who reads the list, may not create or delete them. */
const VIEW_EDITORS = ['ops_manager', 'admin', 'department_head'] as const satisfies readonly Role[];

const CountsQuery = z.object({ playbook: z.string().min(1).max(64) });
const IncidentsQuery = z.object({
  /** true: still open; false: resolved; absent: both. */
  open: z.enum(['true', 'false']).optional(),
});
const Version = z.coerce.number().int().positive().max(2_147_483_647);
const MigrationQuery = z.object({ from: Version, to: Version });

/**
 * The operator's list of attempts, its counts per version and step, saved views, incidents, an
 * attempt's operation history and the side-by-side plan of a migration (contract/operate.ts).
 * Everything is read from PostgreSQL, scoped like every attempt read: operators and auditors see
 * every department, heads their own (server/access.ts).
 */
export function operateListRoutes(deps: Deps): RouteDef[] {
  const { pool, config } = deps;
  const linkOf = temporalLink(config);
  return [
    route<undefined, z.infer<typeof OperateListQuery>>({
      method: 'get',
      path: '/api/operate/attempts',
      summary: 'List attempts with what each waits for, longest asleep first, filtered by playbook, version, step, wait, incident, customer',
      tag: 'operate',
      access: OPERATE_READERS,
      query: OperateListQuery,
      response: OperateList,
      async handle({ user, query }) {
        return listAttempts(pool, user, query, linkOf);
      },
    }),
    route<undefined, z.infer<typeof CountsQuery>>({
      method: 'get',
      path: '/api/operate/counts',
      summary: "Count a playbook's attempts per version and per current step (running, completed, open incidents)",
      tag: 'operate',
      access: OPERATE_READERS,
      query: CountsQuery,
      response: OperateCounts,
      errors: { 404: 'no published version of the playbook' },
      async handle({ user, query }) {
        const counts = await attemptCounts(pool, user, query.playbook);
        if (!counts) throw notFound(`a published version of playbook ${query.playbook}`);
        return counts;
      },
    }),
    route({
      method: 'get',
      path: '/api/operate/views',
      summary: 'List your saved views of the attempt list',
      tag: 'operate',
      access: OPERATE_READERS,
      response: SavedViewList,
      async handle({ user }) {
        return { views: await listViews(pool, user) };
      },
    }),
    route<z.infer<typeof SavedViewBody>>({
      method: 'post',
      path: '/api/operate/views',
      summary: 'Save a filter of the attempt list under a name',
      tag: 'operate',
      access: VIEW_EDITORS,
      body: SavedViewBody,
      response: SavedView,
      success: [201],
      errors: { 409: 'you already have a view of that name (view_exists)' },
      async handle({ user, body }) {
        return reply(201, await saveView(pool, user, body));
      },
    }),
    route({
      method: 'delete',
      path: '/api/operate/views/:id',
      summary: 'Delete one of your saved views',
      tag: 'operate',
      access: VIEW_EDITORS,
      response: Ok,
      errors: { 404: 'no such view of yours' },
      async handle({ user, params }) {
        await deleteView(pool, user, params.id);
        return { ok: true };
      },
    }),
    route<undefined, z.infer<typeof IncidentsQuery>>({
      method: 'get',
      path: '/api/operate/incidents',
      summary: 'List incidents (writes the database refused) of the attempts you reach, newest first',
      tag: 'operate',
      access: OPERATE_READERS,
      query: IncidentsQuery,
      response: IncidentList,
      async handle({ user, query }) {
        return { incidents: await listIncidents(pool, user, query.open === undefined ? undefined : query.open === 'true') };
      },
    }),
    route({
      method: 'get',
      path: '/api/attempts/:id/operations',
      summary: 'Read what operators did to an attempt (cancel, move, set variable, migrate) and its incidents, oldest first',
      tag: 'operate',
      access: OPERATE_READERS,
      response: OperationHistory,
      errors: { 404: 'no such attempt' },
      async handle({ user, params }) {
        const attempt = await reachableAttempt(pool, user, params.id);
        return operationHistory(pool, String(attempt.id));
      },
    }),
    route<undefined, z.infer<typeof MigrationQuery>>({
      method: 'get',
      path: '/api/playbooks/:key/migration',
      summary: 'Compare two published versions for a migration: both graphs, the default step mapping, removed, added and changed steps, where attempts wait',
      tag: 'operate',
      access: OPERATE_READERS,
      query: MigrationQuery,
      response: MigrationPlan,
      errors: { 400: 'from and to are the same version', 404: 'no such playbook or version' },
      async handle({ user, params, query }) {
        if (query.from === query.to)
          throw invalid(
            [{ code: 'same_version', message: 'choose two different versions', path: ['query', 'to'] }],
            'a migration goes from one version to another',
          );
        return migrationPlan(pool, user, params.key, query.from, query.to);
      },
    }),
  ];
}
