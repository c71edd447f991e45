import { z } from 'zod';
import { parseDuration } from '../duration';
import { Duration, readableDuration, str } from './helpers';
import { delayStep } from './runtime/delay';
import { defineNode } from './types';

export const DelayConfig = z.object({
  /** ISO 8601, e.g. P14D: "wait two weeks before the next tier". */
  duration: Duration,
});
export type DelayConfig = z.infer<typeof DelayConfig>;

export const delayNode = defineNode<DelayConfig>({
  ...delayStep,
  label: 'Wait',
  description: 'Wait a fixed time (days to weeks) before the next step.',
  icon: '⏳',
  palette: { group: 'Flow', order: 3, color: '#64748b' },
  starter: { duration: 'P3D' },
  summary: (c) => (str(c.duration) ? `Wait ${readableDuration(c.duration)}` : 'Wait'),
  config: DelayConfig,
  handles: () => ['next'],
  waits: true,
  maxDurationMs: (config) => parseDuration(config.duration) ?? 0,
});
