/**
 * What the operate routes send and take (contract/operate.ts), inferred from the contract's schemas.
 * Type-only imports, so the browser bundle pulls in no schema code.
 */
import type { z } from 'zod';
import type * as C from '../../../contract/operate';

export type { IncidentView, MigrationVerdict, OperateAttempt, OperateFilter, StepWait } from '../../../contract/operate';

export type OperateList = z.infer<typeof C.OperateList>;
export type OperateCounts = z.infer<typeof C.OperateCounts>;
export type SavedView = z.infer<typeof C.SavedView>;
export type SavedViewList = z.infer<typeof C.SavedViewList>;
export type IncidentList = z.infer<typeof C.IncidentList>;
export type OperationRecord = z.infer<typeof C.OperationRecord>;
export type OperationHistory = z.infer<typeof C.OperationHistory>;
export type CancelBody = z.input<typeof C.CancelBody>;
export type MoveBody = z.input<typeof C.MoveBody>;
export type VariableBody = z.input<typeof C.VariableBody>;
export type OperationEffects = z.infer<typeof C.OperationEffects>;
export type StepMigration = z.infer<typeof C.StepMigration>;
export type OperationApplied = z.infer<typeof C.OperationApplied>;
export type IncidentResolved = z.infer<typeof C.IncidentResolved>;
export type MigrationBody = z.input<typeof C.MigrationBody>;
export type MigrateBody = z.input<typeof C.MigrateBody>;
export type MigrationPlan = z.infer<typeof C.MigrationPlan>;
export type BatchKind = z.infer<typeof C.BatchKind>;
export type BatchBody = z.input<typeof C.BatchBody>;
export type BatchItem = z.infer<typeof C.BatchItem>;
export type Batch = z.infer<typeof C.Batch>;
export type BatchCreated = z.infer<typeof C.BatchCreated>;
export type BatchDetail = z.infer<typeof C.BatchDetail>;
export type BatchList = z.infer<typeof C.BatchList>;
