import { PLAN_REVISION } from '../plan';
import type { Json } from '../runtime/types';

/** Containers the system fills as objects: `customer.<field>` and `visits.<node>` come only from them. */
const SYSTEM_OBJECTS = new Set(['customer', 'visits']);
/** From revision 4 the credit file a credit check wrote (`credit.rating`) is the system's too. */
const SYSTEM_OBJECTS_4 = new Set([...SYSTEM_OBJECTS, 'credit']);

/**
 * A variable by name: a run variable, or `<container>.<key>` (customer.grade, visits.<nodeId>) where
 * the key is everything after the first dot, since node ids may contain dots. The system's own
 * names resolve from the system first: a flat variable called "customer.value" or "visits.call"
 * (the API refuses them; older runs may carry one) never shadows the customer file or the visit
 * count. Own properties only: `constructor` must not be found on an empty object.
 */
export function readVar(vars: Record<string, Json>, name: string, revision: number = PLAN_REVISION): Json | undefined {
  if (revision < 3) return readVarAsBeforeRevision3(vars, name);
  const systemObjects = revision >= 4 ? SYSTEM_OBJECTS_4 : SYSTEM_OBJECTS;
  const dot = name.indexOf('.');
  const head = dot > 0 ? name.slice(0, dot) : null;
  const fromContainer = (): Json | undefined => {
    const container = head !== null && Object.hasOwn(vars, head) ? vars[head] : undefined;
    const key = name.slice(dot + 1);
    if (container && typeof container === 'object' && !Array.isArray(container) && Object.hasOwn(container, key)) return container[key];
    return undefined;
  };
  if (head !== null && systemObjects.has(head)) return fromContainer();
  if (Object.hasOwn(vars, name)) return vars[name];
  // responses.<kind> and <offer>.tier are flat names the runtime writes; no object may stand in for them.
  if (head === null || head === 'responses' || head === 'offer') return undefined;
  return fromContainer();
}

/**
 * Plans before revision 3: a flat run variable came first, even one named like a system value. Kept
 * so attempts asleep since then replay as recorded; new plans never read this way.
 */
function readVarAsBeforeRevision3(vars: Record<string, Json>, name: string): Json | undefined {
  if (Object.hasOwn(vars, name)) return vars[name];
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const container = Object.hasOwn(vars, name.slice(0, dot)) ? vars[name.slice(0, dot)] : undefined;
  const key = name.slice(dot + 1);
  if (container && typeof container === 'object' && !Array.isArray(container) && Object.hasOwn(container, key)) return container[key];
  return undefined;
}
