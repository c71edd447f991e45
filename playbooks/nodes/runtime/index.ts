import { commitmentStep } from './commitment';
import { creditCheckStep } from './creditCheck';
import { decisionStep } from './decision';
import { delayStep } from './delay';
import { endStep } from './end';
import { escalateStep } from './escalate';
import { experimentStep } from './experiment';
import { notifyStep } from './notify';
import { offerStep } from './offer';
import { joinStep, parallelStep } from './parallel';
import { startStep } from './start';
import { taskStep } from './task';
import { updateCustomerStep } from './updateCustomer';
import { waitResponseStep } from './waitResponse';
import type { AnyNodeStep } from './types';

/**
 * What the step machine runs: each kind's step, without its description (schema, checks, palette).
 * The workflow bundle imports this registry and nothing that imports zod; ../index.ts lists the
 * same kinds with their descriptions (tests/playbooks/nodes/registry.test.ts keeps the two alike).
 */
export const NODE_STEPS: readonly AnyNodeStep[] = [
  startStep,
  taskStep,
  waitResponseStep,
  delayStep,
  decisionStep,
  offerStep,
  commitmentStep,
  escalateStep,
  notifyStep,
  updateCustomerStep,
  parallelStep,
  joinStep,
  endStep,
  experimentStep,
  creditCheckStep,
];

const byKind = new Map<string, AnyNodeStep>(NODE_STEPS.map((s) => [s.kind, s]));

/** The step of a kind a plan names; a plan holds only kinds the compiler knew. */
export function nodeStep(kind: string): AnyNodeStep {
  const found = byKind.get(kind);
  if (!found) throw new Error(`unknown node kind "${kind}"`);
  return found;
}

export type { AnyNodeStep, NodeStep, StepApi } from './types';
