/** Who may open the designer. Its own module so pages can ask without loading the designer's chunk. */
export const DESIGNER_ROLES = ['ops_manager', 'admin'];

export function canDesign(role: string): boolean {
  return DESIGNER_ROLES.includes(role);
}
