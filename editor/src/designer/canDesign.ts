import { DESIGNERS, inGroup } from '../../../contract/roles';

/** Who may open the designer. Its own module so pages can ask without loading the designer's chunk. */
export const DESIGNER_ROLES: readonly string[] = DESIGNERS;

export function canDesign(role: string): boolean {
  return inGroup(DESIGNERS, role);
}
