import { z } from 'zod';
import { findMessageTemplate } from '../messages';
import type { Problem } from '../problems';
import { ChannelSchema, count, Duration, joinParts, ms, taskResults } from './helpers';
import { offerStep } from './runtime/offer';
import { defineNode } from './types';
import { isFromVariable, orFromVariable, valueReads } from './valueSource';

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

/** Names an offer message always fills itself. */
const OFFER_PROVIDES = ['offer', 'valid_until', 'link'];

export const offerNode = defineNode<OfferConfig>({
  ...offerStep,
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
});
