import type { Deps } from '../deps';
import type { RouteDef } from '../http';

/** The operator's list, counts, saved views, incidents and migration plan (contract/operate.ts): filled in by its owner. */
export function operateListRoutes(deps: Deps): RouteDef[] {
  void deps;
  return [];
}
