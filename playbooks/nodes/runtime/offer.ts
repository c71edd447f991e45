import { checkedTime } from '../../runtime/time';
import type { AnswerLink, Command, Incentive, OpenAnswer } from '../../runtime/types';
import type { OfferConfig } from '../offer';
import { cancelTimer, closeCompletedTask, headOfCustomerDepartment, ms, openTask, sendToCustomer, startTimer } from './helpers';
import { defineStep, type StepApi } from './types';
import { resolveValue } from './values';

type Tier = OfferConfig['tiers'][number];

/** The tier's incentive as the run has it now: a value from a variable that is missing, negative or not a number counts as 0. */
function incentiveOf(step: StepApi, t: Tier): Incentive {
  const value = resolveValue(step, t.incentive.value);
  return { ...t.incentive, value: typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0 };
}

type OfferStatus = Extract<Command, { type: 'record_offer' }>['status'];

function record(step: StepApi, config: OfferConfig, status: OfferStatus, validUntil: number | null = null): void {
  const tier = Number(step.data.tier);
  const t = config.tiers[tier];
  step.emit({
    type: 'record_offer',
    offerKey: String(step.data.offerKey),
    nodeId: step.nodeId,
    tier: tier + 1,
    label: t.label,
    incentive: incentiveOf(step, t),
    status,
    validUntil,
  });
}

function makeTier(step: StepApi, config: OfferConfig, tier: number): void {
  // Whatever tier was on the table is not any more: its link answers nothing from here on.
  delete step.data.awaiting;
  if (tier >= config.tiers.length) {
    step.state.vars = { ...step.state.vars, [`${step.nodeId}.exhausted`]: true };
    step.go('exhausted');
    return;
  }
  const t = config.tiers[tier];
  step.data.tier = tier;
  step.data.offerKey = step.nextKey('offer');
  step.state.vars = { ...step.state.vars, [`${step.nodeId}.tier`]: tier + 1 };
  if (config.approvalAbove !== undefined && t.incentive.type !== 'service' && incentiveOf(step, t).value > config.approvalAbove) {
    record(step, config, 'pending_approval');
    step.data.phase = 'approval';
    step.data.approvalTaskKey = openTask(step, {
      title: `Approve offer: ${t.label}`,
      instructions: `Tier ${tier + 1} offers ${t.incentive.description}, above the approval threshold of ${config.approvalAbove}. Approve, or reject to skip to the next tier.`,
      assignee: headOfCustomerDepartment(step),
      outcomes: [
        { key: 'approved', label: 'Approve' },
        { key: 'rejected', label: 'Reject' },
      ],
      form: [{ key: 'approval_note', label: 'Why', type: 'textarea', required: false }],
      dueAt: null,
      priority: 'high',
    });
    return;
  }
  present(step, config);
}

function present(step: StepApi, config: OfferConfig): void {
  const t = config.tiers[Number(step.data.tier)];
  const validityMs = ms(t.validity);
  const validUntil = checkedTime(step.now + validityMs, `offer ${step.nodeId}: tier ${Number(step.data.tier) + 1} valid until`);
  record(step, config, 'made', validUntil);
  const awaiting: OpenAnswer = {
    purpose: 'offer',
    ref: String(step.data.offerKey),
    nodeId: step.nodeId,
    stepId: step.stepId,
    tier: Number(step.data.tier) + 1,
    text: t.incentive.description,
  };
  const link: AnswerLink = {
    purpose: 'offer',
    ref: awaiting.ref,
    expiresAt: validUntil,
    nodeId: step.nodeId,
    stepId: step.stepId,
    tier: awaiting.tier,
    text: awaiting.text,
  };
  sendToCustomer(step, config.channel, config.template, { offer: t.incentive.description, valid_until: new Date(validUntil).toISOString().slice(0, 10) }, link);
  step.data.phase = 'waiting';
  step.data.awaiting = awaiting;
  step.data.validityKey = startTimer(step, validityMs, 'offer_validity');
}

/** An offer ladder: one tier at a time, small first, each open until answered, declined or expired. */
export const offerStep = defineStep<OfferConfig>({
  kind: 'offer',
  enter(step, config) {
    makeTier(step, config, 0);
  },
  // Another branch won (a first-arrival join): the tier on the table is withdrawn, recorded as expired.
  cancel(step, config) {
    if (step.data.phase !== 'waiting') return;
    record(step, config, 'expired');
    delete step.data.awaiting;
  },
  on(step, config, event) {
    const tier = Number(step.data.tier);
    if (event.type === 'task_completed' && event.taskKey === step.data.approvalTaskKey) {
      closeCompletedTask(step, event);
      if (event.outcome === 'approved') return present(step, config);
      record(step, config, 'rejected');
      return makeTier(step, config, tier + 1);
    }
    if (step.data.phase !== 'waiting') return;
    // A link's answer is for one tier: the runtime routes only open ones here, and this tier checks again.
    if (event.type === 'customer_responded' && event.answers && event.answers.ref !== step.data.offerKey) return;
    if (event.type === 'customer_responded' && (event.kind === 'accepted' || event.kind === 'declined')) {
      cancelTimer(step, step.data.validityKey);
      record(step, config, event.kind);
      delete step.data.awaiting;
      if (event.kind === 'accepted') {
        step.state.vars = { ...step.state.vars, accepted_offer: config.tiers[tier].label };
        return step.go('accepted');
      }
      return makeTier(step, config, tier + 1);
    }
    if (event.type === 'timer_fired' && event.timerKey === step.data.validityKey) {
      record(step, config, 'expired');
      makeTier(step, config, tier + 1);
    }
  },
});
