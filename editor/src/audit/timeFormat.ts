/** Auditors compare events seconds apart, so times here carry seconds (the app's default format does not). */
const moment = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

const valid = (iso: string) => !Number.isNaN(new Date(iso).getTime());

export const formatMoment = (iso: string) => (valid(iso) ? moment.format(new Date(iso)) : iso);
export const formatTime = (iso: string) => (valid(iso) ? timeOnly.format(new Date(iso)) : iso);
export const formatDay = (iso: string) => (valid(iso) ? dayOnly.format(new Date(iso)) : iso);

/** "7 days later", "3 hours later": how far a timer lies beyond the moment shown. */
export function later(fromIso: string, toIso: string): string {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (Number.isNaN(ms)) return '';
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  for (const [unit, size] of units) {
    const n = Math.round(Math.abs(ms) / size);
    if (Math.abs(ms) >= size) return `${n} ${unit}${n === 1 ? '' : 's'} ${ms >= 0 ? 'later' : 'earlier'}`;
  }
  return 'at the same moment';
}
