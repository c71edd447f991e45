import { z } from 'zod';
import { findMessageTemplate } from '../messages';
import type { Problem } from '../problems';
import { checkedTime } from '../runtime/time';
import type { AnswerLink, Command, Incentive, OpenAnswer } from '../runtime/types';
import {
  cancelTimer,
  ChannelSchema,
  closeCompletedTask,
  count,
  Duration,
  headOfCustomerDepartment,
  joinParts,
  ms,
  openTask,
  sendToCustomer,
  startTimer,
  taskResults,
} from './helpers';
import { defineNode, type StepApi } from './types';
import { isFromVariable, orFromVariable, resolveValue, valueReads } from './valueSource';

type Tier = z.infer<typeof Tier>;

/** The tier's incentive as the run has it now: a value from a variable that is missing, negative or not a number counts as 0. */
function incentiveOf(step: StepApi, t: Tier): Incentive {
  const value = resolveValue(step, t.incentive.value);
  return { ...t.incentive, value: typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0 };
}

const Tier = z.object({
  label: z.string().min(1).max(100),
  incentive: z.object({
    type: z.enum(['percent', 'amount', 'service']),
    value: orFromVariable(z.number().nonnegative()).describe('The incentive’s size, or the run variable that holds it (e.g. the discount a head set).'),
    description: z.string().min(1).max(300),
  }),
  validity: Duration.describe('How long the customer has to accept this tier.'),
});

export const OfferConfig = z.object({
  /** Small first, then larger: the articles warn never to open with the biggest discount. */
  tiers: z.array(Tier).min(1).max(10).describe('Small first, then larger: never open with the biggest incentive.'),
  /** A tier whose incentive value is above this needs the department head's approval first. */
  approvalAbove: z
    .number()
    .nonnegative()
    .optional()
    .meta({ title: 'Needs approval above', description: 'A tier worth more than this needs the department head first.' }),
  channel: ChannelSchema.default('email'),
  template: z.string().default('offer'),
});
export type OfferConfig = z.infer<typeof OfferConfig>;

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

/** Names an offer message always fills itself. */
const OFFER_PROVIDES = ['offer', 'valid_until', 'link'];

export const offerNode = defineNode<OfferConfig>({
  kind: 'offer',
  label: 'Offer ladder',
  description: 'Tiered incentives, small first: one tier per decline or silence, head approval above a threshold.',
  icon: '🎁',
  palette: { group: 'Customer', order: 3, color: '#c026d3' },
  starter: {
    tiers: [{ label: '5% off', incentive: { type: 'percent', value: 5, description: '5% off your next service' }, validity: 'P14D' }],
    channel: 'email',
    template: 'offer',
  },
  summary: (c) => joinParts(count(c.tiers, 'tier'), typeof c.approvalAbove === 'number' ? `approval above ${c.approvalAbove}` : undefined),
  // The approval task (above the threshold) asks for a note; the ladder records which tier was taken.
  writes: (_c, node) => [
    { name: 'approval_note' },
    ...taskResults(node),
    { name: `${node.id}.tier`, group: 'Step results', label: `${node.id}.tier (${node.name})` },
    { name: `${node.id}.exhausted`, group: 'Step results', label: `${node.id}.exhausted (${node.name})` },
  ],
  reads: (config, path) => config.tiers.flatMap((t, i) => valueReads(t.incentive.value, [...path, 'tiers', i, 'incentive', 'value'])),
  sets: (_config, nodeId, handle) => (handle === 'accepted' ? ['accepted_offer', `${nodeId}.tier`] : [`${nodeId}.exhausted`]),
  messages: (config, path) => [{ template: config.template, stepVars: {}, provided: OFFER_PROVIDES, path: [...path, 'template'] }],
  answers: (_config, data) => (data.phase === 'waiting' ? ['accepted', 'declined'] : []),
  answerLink: {
    purpose: 'offer',
    title: (firm) => `Your offer from ${firm}`,
    answers: [
      { key: 'accepted', label: 'Accept the offer', said: 'you accepted' },
      { key: 'declined', label: 'No, thank you', said: 'you declined' },
    ],
  },
  config: OfferConfig,
  handles: () => ['accepted', 'exhausted'],
  waits: true,
  maxDurationMs: (config) => config.tiers.reduce((sum, t) => sum + ms(t.validity), 0),
  check(config, ctx) {
    const problems: Problem[] = [];
    if (!findMessageTemplate(config.template))
      problems.push({
        code: 'unknown_template',
        message: `message template "${config.template}" does not exist`,
        path: [...ctx.path, 'template'],
        nodeId: ctx.nodeId,
      });
    config.tiers.forEach((t, i) => {
      // Only fixed values can be compared here; a value from a variable is known when the tier is made.
      const value = t.incentive.value;
      const previous = config.tiers.slice(0, i).filter((p) => p.incentive.type === t.incentive.type);
      if (t.incentive.type !== 'service' && !isFromVariable(value) && previous.some((p) => !isFromVariable(p.incentive.value) && p.incentive.value > value)) {
        problems.push({
          code: 'ladder_not_ascending',
          message: `tier ${i + 1} gives less than an earlier tier: go small first, then larger`,
          path: [...ctx.path, 'tiers', i, 'incentive', 'value'],
          nodeId: ctx.nodeId,
        });
      }
    });
    return problems;
  },
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
