import type { Deps } from '../deps';
import type { RouteDef } from '../http';
import type { TaskChangeHub } from '../inbox/live';
import { assignmentRoutes } from './assignment';
import { inboxRoutes } from './inbox';
import { taskActionRoutes } from './taskActions';

/**
 * Every route on tasks, by area: reading the inbox, working a task, and who a task is for.
 * The SQL they share is in `../tasks/store.ts`.
 */
export function taskRoutes(deps: Deps, hub: TaskChangeHub): RouteDef[] {
  return [...inboxRoutes(deps, hub), ...taskActionRoutes(deps), ...assignmentRoutes(deps)];
}
