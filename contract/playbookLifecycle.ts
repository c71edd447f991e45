import { z } from 'zod';

/** The playbook list with what an ops manager picks one by, and the lifecycle actions (server/routes/playbookLifecycle.ts). */

const Instant = z.iso.datetime({ offset: true });
const Person = z.object({ id: z.string(), name: z.string() });

export const ArchivedFilter = z.enum(['exclude', 'include', 'only']);

export const PlaybookOverviewItem = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  draftRevision: z.number().int(),
  updatedAt: Instant,
  /** Who saved the draft last, by name. */
  updatedBy: Person.nullable(),
  latestVersion: z.number().int().nullable(),
  lastPublishedAt: Instant.nullable(),
  lastPublishedBy: Person.nullable(),
  /** Attempts running now, of customers within the reader's reach. */
  runningAttempts: z.number().int(),
  /** Attempts ever started, of customers within reach: a playbook with any cannot be deleted. */
  attempts: z.number().int(),
  archivedAt: Instant.nullable(),
  archivedBy: Person.nullable(),
});
export type PlaybookOverviewItem = z.infer<typeof PlaybookOverviewItem>;
export const PlaybookOverview = z.object({ playbooks: z.array(PlaybookOverviewItem) });
export type PlaybookOverview = z.infer<typeof PlaybookOverview>;

export const ArchiveState = z.object({ key: z.string(), archivedAt: Instant.nullable(), changed: z.boolean() });
export type ArchiveState = z.infer<typeof ArchiveState>;

export const Duplicated = z.object({ key: z.string(), name: z.string(), from: z.string() });
export type Duplicated = z.infer<typeof Duplicated>;

export const Deleted = z.object({ key: z.string(), deleted: z.literal(true) });
export type Deleted = z.infer<typeof Deleted>;
