import { z } from 'zod';
import { Timestamp } from './common';

/** Bulk imports of customers and activity (server/routes/imports.ts). */
export const ImportKind = z.enum(['customers', 'activity']);
export const ImportFormat = z.enum(['csv', 'jsonl']);

export const CreateImportBody = z.object({
  kind: ImportKind,
  format: ImportFormat,
  filename: z.string().max(300).default(''),
  sizeBytes: z
    .number()
    .int()
    .min(0)
    .max(10 * 1024 ** 3)
    .optional(),
});
export type CreateImportBody = z.infer<typeof CreateImportBody>;

export const ImportRowError = z.object({ row: z.number().int(), path: z.string(), code: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;
export const ImportJobView = z.object({
  id: z.string(),
  kind: ImportKind,
  format: ImportFormat,
  filename: z.string(),
  sizeBytes: z.number().nullable(),
  status: z.enum(['waiting', 'running', 'completed', 'failed']),
  bytesRead: z.number(),
  rowsRead: z.number().int(),
  rowsApplied: z.number().int(),
  rowsUnchanged: z.number().int(),
  rowsFailed: z.number().int(),
  failure: z.string().nullable(),
  startedBy: z.string(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  errors: z.array(ImportRowError),
});
export type ImportJobView = z.infer<typeof ImportJobView>;
export const ImportList = z.object({ imports: z.array(ImportJobView) });
