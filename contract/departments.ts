import { z } from 'zod';

/** The organisation's departments by id and name (server/routes/departments.ts): every screen shows the name. */
export const Department = z.object({ id: z.string(), name: z.string() });
export type Department = z.infer<typeof Department>;
export const DepartmentList = z.object({ departments: z.array(Department) });
export type DepartmentList = z.infer<typeof DepartmentList>;
