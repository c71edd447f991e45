import { z } from 'zod';
import { ROLES } from './roles';

/**
 * Pieces every area's responses share. Schemas describe the JSON as it travels (dates as ISO text,
 * bigint ids as text), since that is what the editor reads and what the tests check.
 */

/** A moment as ISO 8601 text (a PostgreSQL timestamp, serialised). */
export const Timestamp = z.iso.datetime({ offset: true });

export const RoleName = z.enum(ROLES);

/** A problem in a graph or a body, pinned to its JSON path (playbooks/problems.ts). */
export const Problem = z.object({
  code: z.string(),
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;

/** Who did something, as the runtime records it. */
export const ActorRef = z.object({ userId: z.string(), role: z.string().optional() });

/** Who a task is for. */
export const Assignee = z.object({ role: z.string(), department: z.string().nullable(), userId: z.string().nullable() });
export type Assignee = z.infer<typeof Assignee>;

/** Any JSON value (run variables, stored details). */
export const JsonValue: z.ZodType<unknown> = z.unknown();

/** `{ok: true}` and nothing else worth reading. */
export const Ok = z.object({ ok: z.literal(true) });
