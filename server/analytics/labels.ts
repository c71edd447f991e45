import type { RateBreakdown } from '../../contract/analytics';

/** How people read each breakdown's values (the seeds' names for churn types, reasons and grades). */
const LABELS: Partial<Record<RateBreakdown, Record<string, string>>> = {
  churn_type: { natural: 'Natural', malicious: 'Malicious', competitive: 'Competitive', fault: 'Our fault' },
  churn_reason: {
    A: 'A — dissatisfied with service',
    B: 'B — inconvenient location',
    C: 'C — price-sensitive',
    D: 'D — needs reminding',
  },
  grade: { core: 'Best core', high_potential: 'High potential', ordinary: 'Ordinary', churn_signs: 'Showing signs of churn' },
};

/** The value that stands for "not recorded" in every breakdown. */
export const NONE = 'none';

export function groupLabel(breakdown: RateBreakdown, group: string, named?: string | null): string {
  if (breakdown === 'none') return 'All customers';
  if (group === NONE) return breakdown === 'department' ? 'No department' : 'Not recorded';
  return named ?? LABELS[breakdown]?.[group] ?? group;
}
