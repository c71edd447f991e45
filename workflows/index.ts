// The workflow bundle's entry: every workflow type the worker registers.
export { playbookRun } from './playbookRun';
export { riskEvaluation } from './riskEvaluation';
export { attemptBatch } from './attemptBatch';
