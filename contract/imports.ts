import { z } from 'zod';

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

export interface ImportRowError {
  row: number;
  path: string;
  code: string;
  message: string;
}
export interface ImportJobView {
  id: string;
  kind: 'customers' | 'activity';
  format: 'csv' | 'jsonl';
  filename: string;
  sizeBytes: number | null;
  status: 'waiting' | 'running' | 'completed' | 'failed';
  bytesRead: number;
  rowsRead: number;
  rowsApplied: number;
  rowsUnchanged: number;
  rowsFailed: number;
  failure: string | null;
  startedBy: string;
  createdAt: string;
  finishedAt: string | null;
  errors: ImportRowError[];
}
