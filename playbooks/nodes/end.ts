import { z } from 'zod';
import { defineNode } from './types';
import { str } from './helpers';
import { endStep } from './runtime/end';

export const OUTCOMES = ['won_back', 'retained', 'resolved', 'lost', 'closed'] as const;

export const EndConfig = z.object({
  outcome: z.enum(OUTCOMES),
  reason: z.string().max(500).optional(),
});
export type EndConfig = z.infer<typeof EndConfig>;

export const endNode = defineNode<EndConfig>({
  ...endStep,
  label: 'End',
  description: 'Close the recovery attempt with an outcome and its reason.',
  icon: '■',
  palette: { group: 'Flow', order: 6, color: '#475569' },
  starter: { outcome: 'closed', reason: '' },
  summary: (c) => (str(c.outcome) ? `Outcome: ${String(c.outcome).replace(/_/g, ' ')}` : 'End'),
  config: EndConfig,
  handles: () => [],
  waits: false,
  terminal: true,
});
