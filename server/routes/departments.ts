import { DepartmentList } from '../../contract/departments';
import type { Deps } from '../deps';
import { route, type RouteDef } from '../http';

/**
 * The department directory: ids are what rows store, names what people read. Every signed-in user
 * gets every department (names are not secret; what is in a department stays behind its own routes).
 */
export function departmentRoutes({ pool }: Deps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/departments',
      summary: 'List the departments with their names',
      tag: 'customers',
      access: 'signed_in',
      response: DepartmentList,
      async handle() {
        const { rows } = await pool.query<{ id: string; name: string }>('SELECT id, name FROM departments ORDER BY name, id');
        return { departments: rows };
      },
    }),
  ];
}
