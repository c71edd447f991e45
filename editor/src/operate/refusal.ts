import { ApiError, errorMessage } from '../api';

/**
 * The server's refusal in words: its message, then each problem the runtime found (409
 * operation_refused carries them in `details.problems`; 400 carries the body's problems with paths).
 */
export function refusalLines(e: unknown): string[] {
  if (!(e instanceof ApiError)) return [errorMessage(e)];
  const lines = [e.message];
  for (const p of problemsOf(e.details)) {
    const text = typeof p.message === 'string' ? p.message : typeof p.code === 'string' ? p.code : JSON.stringify(p);
    const path = Array.isArray(p.path) && p.path.length > 0 ? `${p.path.join('.')}: ` : '';
    if (!lines.includes(path + text)) lines.push(path + text);
  }
  return lines;
}

function problemsOf(details: unknown): Record<string, unknown>[] {
  const list: unknown = Array.isArray(details) ? details : isRecord(details) ? (details.problems ?? details.issues) : undefined;
  // A workflow's refusal may arrive as its failure details, whose first entry is the problem list.
  return Array.isArray(list) ? list.flat().filter(isRecord) : [];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
