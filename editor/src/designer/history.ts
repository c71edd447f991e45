/**
 * Undo/redo as a stack of whole-graph snapshots. Graphs are immutable values, so a snapshot is just
 * a reference; typing into a form coalesces into one entry per field burst instead of one per key.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** What the last commit was about and when, so a burst of edits to one thing becomes one step. */
  lastKey: string | null;
  lastAt: number;
}

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 1000;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

export function commit<T>(h: History<T>, next: T, opts: { key?: string; now?: number } = {}): History<T> {
  if (next === h.present) return h;
  const now = opts.now ?? Date.now();
  const coalesce = opts.key !== undefined && opts.key === h.lastKey && now - h.lastAt < COALESCE_MS;
  const past = coalesce ? h.past : [...h.past, h.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], lastKey: opts.key ?? null, lastAt: now };
}

/** Replace the present without a new entry (the frames of a drag, after a checkpoint at its start). */
export function replace<T>(h: History<T>, next: T): History<T> {
  return next === h.present ? h : { ...h, present: next };
}

/** Remember the present as an undo step before a series of `replace`s. */
export function checkpoint<T>(h: History<T>): History<T> {
  return { ...h, past: [...h.past, h.present].slice(-HISTORY_LIMIT), future: [], lastKey: null };
}

export function undo<T>(h: History<T>): History<T> {
  const previous = h.past[h.past.length - 1];
  if (previous === undefined) return h;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  const next = h.future[0];
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future: h.future.slice(1), lastKey: null, lastAt: 0 };
}

/** Drop a checkpoint whose drag changed nothing, so undo does not need an extra press. */
export function dropUnchangedCheckpoint<T>(h: History<T>): History<T> {
  return h.past[h.past.length - 1] === h.present ? { ...h, past: h.past.slice(0, -1) } : h;
}
