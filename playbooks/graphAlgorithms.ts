/**
 * Pure algorithms over a directed graph of node ids, given as neighbour functions. They know nothing
 * of node kinds or problems, so the compiler's checks read as what they check, not how they walk.
 * All of them are iterative: a playbook chain of thousands of nodes must not overflow the stack.
 */

/** Every id reachable from `from` (the starting ids included) by following `neighbours`. */
export function reachableFrom(from: string[], neighbours: (id: string) => string[]): Set<string> {
  const seen = new Set<string>(from);
  const stack = [...from];
  while (stack.length) {
    for (const n of neighbours(stack.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/**
 * The loops among the ids that pass `include`: strongly connected parts of more than one id, or an
 * id with an edge to itself (Tarjan). Each loop lists its members in the order the walk entered them.
 */
export function loops(ids: Iterable<string>, successors: (id: string) => string[], include: (id: string) => boolean): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (!include(root) || index.has(root)) continue;
    const work: { id: string; next: string[]; i: number }[] = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: successors(id).filter(include), i: 0 });
    };
    open(root);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.i < frame.next.length) {
        const n = frame.next[frame.i++];
        if (!index.has(n)) open(n);
        else if (onStack.has(n)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(n)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1];
        low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const part: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          part.push(n);
        } while (n !== frame.id);
        if (part.length > 1 || frame.next.includes(frame.id)) found.push(part.reverse());
      }
    }
  }
  return found;
}

/**
 * The heaviest path from `start` (the sum of `weight` over its ids), or null when a loop is
 * reachable from `start`, since a run could then go round it for ever.
 */
export function longestPath(start: string, successors: (id: string) => string[], weight: (id: string) => number): number | null {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const finished = new Set<string>();
  // Post-order (every successor before the id itself), so each id's longest tail is known when it is summed.
  const stack: { id: string; done: boolean }[] = [{ id: start, done: false }];
  while (stack.length) {
    const top = stack.pop()!;
    if (top.done) {
      visiting.delete(top.id);
      order.push(top.id);
      finished.add(top.id);
      continue;
    }
    if (finished.has(top.id)) continue;
    if (visiting.has(top.id)) return null;
    visiting.add(top.id);
    stack.push({ id: top.id, done: true });
    for (const n of successors(top.id)) {
      if (visiting.has(n)) return null;
      if (!finished.has(n)) stack.push({ id: n, done: false });
    }
  }
  for (const id of order) {
    const after = Math.max(0, ...successors(id).map((n) => memo.get(n) ?? 0));
    memo.set(id, weight(id) + after);
  }
  return memo.get(start) ?? 0;
}

/** A node as the "set on every path" walk sees it: its edges out, and the names leaving by a handle sets. */
export interface SettingStep {
  edges: Iterable<[handle: string, target: string]>;
  sets(handle: string): readonly string[] | undefined;
}

/**
 * Forward "set on every path" analysis from `start`: the names of `wanted` that are sure to be set
 * on arrival at each reached id, i.e. what every edge into it brings (what is sure before the edge,
 * plus what its step sets on that handle). Loops only ever shrink a set, so it converges. `step`
 * gives null for a node the walk does not pass (unknown, or a config with a mistake).
 * Sets are never changed once made, so an edge that adds nothing passes its source's set on as it
 * is, and a target whose set would not shrink is left alone: copying a set per edge made the walk
 * most of the message-warning check.
 */
export function setOnEveryPath(
  start: string,
  initial: ReadonlySet<string>,
  wanted: ReadonlySet<string>,
  step: (id: string) => SettingStep | null,
): Map<string, ReadonlySet<string>> {
  const sure = new Map<string, ReadonlySet<string>>([[start, initial]]);
  const work = [start];
  while (work.length) {
    const id = work.pop()!;
    const here = sure.get(id);
    const node = step(id);
    if (!node || !here) continue;
    for (const [handle, target] of node.edges) {
      let brings: Set<string> | ReadonlySet<string> = here;
      for (const name of node.sets(handle) ?? []) {
        if (!wanted.has(name) || brings.has(name)) continue;
        if (brings === here) brings = new Set(here);
        (brings as Set<string>).add(name);
      }
      const before = sure.get(target);
      if (before) {
        let shrinks = false;
        for (const name of before) if (!brings.has(name)) shrinks = true;
        if (!shrinks) continue;
        const after = new Set<string>();
        for (const name of before) if (brings.has(name)) after.add(name);
        sure.set(target, after);
      } else sure.set(target, brings);
      work.push(target);
    }
  }
  return sure;
}
