/** What a fuzz test reads of one answer: its status, its text, and its JSON when it is JSON. */
export interface Answer {
  status: number;
  text: string;
  json: unknown;
}

/**
 * Sends one request and reads the answer, or 'hung' when none came within `hangMs`: a fuzz test
 * lists a hang as a failure of its own rather than stalling on it.
 */
export async function answerOf(url: string, init: RequestInit, hangMs: number): Promise<Answer | 'hung'> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(hangMs) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  } catch (err) {
    // fetch rejects with a DOMException named TimeoutError (not an Error subclass in every runtime).
    if ((err as { name?: unknown } | null)?.name === 'TimeoutError') return 'hung';
    throw err;
  }
}
