import type { z } from 'zod';

/**
 * Finds the zod schema at a config path, so a string field can be asked what it accepts. JSON
 * Schema drops refinements, and the ISO-duration refinement is exactly what marks a duration.
 */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Peel wrappers that do not change what a value looks like (optional, default, lazy...). */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else break;
  }
  return current;
}

/** `'*'` steps into an array's items. Returns undefined where the path leaves plain objects and arrays. */
export function zodAt(schema: z.ZodType, path: readonly string[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const part of path) {
    if (!current) return undefined;
    const def = defOf(unwrap(current));
    if (part === '*') current = def.type === 'array' ? def.element : undefined;
    else current = def.type === 'object' ? def.shape?.[part] : undefined;
  }
  return current ? unwrap(current) : undefined;
}

/** A string schema that takes "P3D" and "PT4H" but refuses ordinary words is an ISO duration. */
export function isDurationSchema(schema: z.ZodType | undefined): boolean {
  if (!schema || defOf(schema).type !== 'string') return false;
  return schema.safeParse('P3D').success && schema.safeParse('PT4H').success && !schema.safeParse('soon').success;
}
