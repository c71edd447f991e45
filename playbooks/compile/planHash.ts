import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * The plan's content hash: sha256 of the same bytes as `contentHash` in ../canonical.ts, built
 * faster. A 1,000-node plan is about 0.5 MB (joins list every node upstream of them), and the
 * generic canonicalJson spent ~18 ms on it in Object.entries, filter, sort and template strings,
 * half a compile. Here keys are sorted once per object, strings are appended, and an array of
 * strings (a join's `upstream`, a task's outcome list) is one JSON.stringify call, which writes
 * exactly the bytes the element-by-element form does. tests/playbooks/planHash.test.ts compares
 * the two on every template and on generated graphs; published versions store these hashes.
 */
export function planContentHash(body: unknown): string {
  const json = canonicalPlanJson(body);
  // sha256 in JavaScript took ~10 ms on those bytes; Node's own is ~1 ms. The editor compiles in
  // the browser too, where there is no node:crypto, so it keeps the portable one (same digest).
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(json, 'utf8').digest('hex');
  return bytesToHex(sha256(utf8ToBytes(json)));
}

type NodeCrypto = typeof import('node:crypto');
/** node:crypto when running on Node (20.16+ has getBuiltinModule); nothing for a bundler to resolve. */
const nodeCrypto: NodeCrypto | undefined = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
  'node:crypto',
) as NodeCrypto | undefined;

/** canonicalJson's bytes exactly: sorted keys, undefined members left out, undefined elsewhere as null. */
export function canonicalPlanJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return arrayJson(value);
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += quotedKey(key) + canonicalPlanJson(member);
  }
  return out + '}';
}

function arrayJson(items: unknown[]): string {
  let allStrings = true;
  for (let i = 0; i < items.length && allStrings; i++) allStrings = typeof items[i] === 'string';
  // Holes are not strings, so a sparse array takes the element-by-element path (canonicalJson maps over it).
  if (allStrings && items.length > 0) return JSON.stringify(items);
  return `[${items.map(canonicalPlanJson).join(',')}]`;
}

/** Plans repeat a few dozen keys thousands of times: quote each once. Bounded, as keys come from input. */
const QUOTED_KEYS = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key) + ':';
    if (QUOTED_KEYS.size < 10_000) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}
