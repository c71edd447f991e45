import type { Deps } from '../deps';
import { invalid } from '../errors';
import { JsonText, route, type RouteDef } from '../http';
import { InboxCounts } from '../inbox/counts';
import type { TaskChangeHub } from '../inbox/live';
import { buildInboxQuery, encodeCursor, InboxQuery } from '../inbox/query';
import { InboxPage, TaskDetail, Workload } from '../../contract/inbox';
import { INBOX_READERS, MANAGERS } from '../../contract/roles';
import { workloadOf } from '../inbox/workload';
import { taskPlace } from '../tasks/place';
import { escalationChain, notesOf, taskView, visibleTask } from '../tasks/store';
import { AS_TEXT, taskViewJson, type TaskTextRow } from '../tasks/viewJson';

/** Reading the inbox: the task list with its counts, the live stream of changes, one task in full. */
export function inboxRoutes({ pool }: Deps, hub: TaskChangeHub): RouteDef[] {
  const inboxCounts = new InboxCounts(pool, hub);
  return [
    route<undefined, InboxQuery>({
      method: 'get',
      path: '/api/inbox',
      summary: "My tasks, my role's and department's queues, and the team's; filters, sort, cursor pages, counts",
      tag: 'inbox',
      access: INBOX_READERS,
      query: InboxQuery,
      response: InboxPage,
      // The busiest read: its page and counts start while PostgreSQL checks the session, and the
      // answer still goes only to the user that check found (server/http.ts), so revocation holds.
      sessionCheck: 'alongside',
      async handle({ user, query }) {
        const built = buildInboxQuery(user, query);
        if ('error' in built) throw invalid([{ code: 'invalid_cursor', message: built.error, path: ['query', 'cursor'] }]);
        const [page, counts] = await Promise.all([
          pool.query<TaskTextRow>({ name: built.name, text: built.text, values: built.values, types: AS_TEXT }),
          inboxCounts.for(user),
        ]);
        // One row more than the page is asked for: its presence says there is a next page.
        const rows = page.rows.slice(0, query.limit);
        const last = rows[rows.length - 1];
        const nextCursor = page.rows.length > query.limit && last ? encodeCursor(built.sortColumns.map((c) => last[c])) : null;
        // Written as JSON text from PostgreSQL's text (server/tasks/viewJson.ts), not parsed into objects first.
        return new JsonText(`{"tasks":[${rows.map(taskViewJson).join(',')}],"nextCursor":${JSON.stringify(nextCursor)},"counts":${JSON.stringify(counts)}}`);
      },
    }),
    route({
      method: 'get',
      path: '/api/inbox/workload',
      summary: "The team's workload: open, overdue and due-today tasks per person, and the unheld queue",
      tag: 'inbox',
      access: MANAGERS,
      response: Workload,
      async handle({ user }) {
        return workloadOf(pool, user);
      },
    }),
    route({
      method: 'get',
      path: '/api/inbox/events',
      summary: 'Live inbox: a server-sent event for every new, changed or closed task you may see',
      tag: 'inbox',
      access: INBOX_READERS,
      // A stream of server-sent events (contract/inbox.ts TaskChange), not one JSON body.
      async handle({ user, res }) {
        await hub.subscribe(user, res);
      },
    }),
    route({
      method: 'get',
      path: '/api/tasks/:id',
      summary: 'Read one task with its notes and, for escalations, the chain of missed SLAs',
      tag: 'inbox',
      access: INBOX_READERS,
      response: TaskDetail,
      errors: { 404: 'no such task, or not yours to see' },
      async handle({ user, params }) {
        const task = await visibleTask(pool, user, params.id);
        const [notes, chain, place] = await Promise.all([notesOf(pool, task.id), escalationChain(pool, task), taskPlace(pool, task)]);
        return {
          task: taskView(task),
          notes,
          // A task never escalated is a chain of one: nothing to show.
          escalationChain: chain.length > 1 ? chain.map(taskView) : [],
          place,
        };
      },
    }),
  ];
}
