/**
 * Reading Temporal's event history in its JSON form (what `temporal workflow show --output json`
 * prints and `historyToJSON` writes): just the fields the audit views need, payloads decoded.
 */
export interface HistoryEventJson {
  eventId: string;
  eventTime: string;
  eventType: string;
  [attributes: string]: unknown;
}

export interface HistoryJson {
  events: HistoryEventJson[];
}

interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

export function decodePayload(p: PayloadJson | undefined): unknown {
  if (!p?.data) return null;
  const encoding = p.metadata?.encoding ? Buffer.from(p.metadata.encoding, 'base64').toString('utf8') : 'json/plain';
  const text = Buffer.from(p.data, 'base64').toString('utf8');
  if (encoding === 'json/plain') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return encoding === 'binary/null' ? null : text;
}

export function firstPayload(container: unknown): unknown {
  const payloads = (container as { payloads?: PayloadJson[] } | undefined)?.payloads;
  return payloads?.length ? decodePayload(payloads[0]) : null;
}

/** The attributes object of an event, whatever its type (e.g. timerFiredEventAttributes). */
export function attributesOf(event: HistoryEventJson): Record<string, unknown> {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes'));
  return key ? (event[key] as Record<string, unknown>) : {};
}

export const eventType = (event: HistoryEventJson) => event.eventType.replace(/^EVENT_TYPE_/, '');

/** Durations arrive as "1209600s" or {seconds, nanos}. */
export function durationMs(value: unknown): number | null {
  if (typeof value === 'string' && value.endsWith('s')) return Math.round(Number(value.slice(0, -1)) * 1000);
  if (value && typeof value === 'object' && 'seconds' in value) return Number((value as { seconds: string | number }).seconds) * 1000;
  return null;
}
