/** Who can be assigned work: the roles and departments of the organisation. */
export const ROLES = ['ops_manager', 'rep', 'department_head', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What the compiler checks names against: the organisation as stored in PostgreSQL. */
export interface Directory {
  roles: readonly string[];
  departments: readonly string[];
}

export const DEFAULT_DIRECTORY: Directory = {
  roles: ROLES,
  departments: ['after_sales', 'key_accounts', 'service'],
};
