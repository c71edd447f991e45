const ROLE_LABELS: Record<string, string> = {
  ops_manager: 'Ops manager',
  rep: 'Rep',
  department_head: 'Department head',
  auditor: 'Auditor',
  admin: 'Admin',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role.replace(/_/g, ' ');
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The reader's time zone, which the server formats moments in (timeline lines, the printable report). */
export function readerTimeZone(): string | null {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
}

/** An outcome key in words, as the domain says it: `won_back` → "Won back". */
export const outcomeLabel = (key: string) => humanize(key);

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** "3d 4h", "45m"; the two largest units are enough to judge a playbook's length. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '—';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [label, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${label}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ') || `${ms}ms`;
}

/** "field_name" / "fieldName" → "Field name", for showing config keys as labels. */
export function humanize(key: string): string {
  const spaced = key
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
