import { z } from 'zod';

/** `GET /api/openapi.json`: the OpenAPI 3.1 document, generated from the route declarations. */
export const OpenApiDocument = z
  .object({
    openapi: z.literal('3.1.0'),
    info: z.object({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
  })
  .loose();
