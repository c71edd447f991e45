import type { Deps } from '../deps';
import type { RouteDef } from '../http';

/** Repairs, migration and batches on attempts (contract/operate.ts). */
export function operateRoutes(deps: Deps): RouteDef[] {
  void deps;
  return [];
}
