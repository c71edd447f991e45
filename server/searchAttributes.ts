import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

/**
 * A production cluster does not know our search attributes until someone adds them; the dev server
 * gets them as start flags. Adding is idempotent: only the missing ones are registered.
 */
const GRPC_UNIMPLEMENTED = 12;

export async function ensureSearchAttributes(client: Client, namespace: string): Promise<void> {
  const known = new Set<string>();
  try {
    const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
    for (const name of Object.keys(existing.customAttributes ?? {})) known.add(name);
  } catch (err) {
    // Temporal's Java test server cannot list, only add: then add them all.
    if ((err as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw err;
  }
  const { INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_INT } = temporal.api.enums.v1.IndexedValueType;
  const missing = Object.fromEntries(
    SEARCH_ATTRIBUTES.filter((k) => !known.has(k.name)).map((k) => [k.name, k.type === 'INT' ? INDEXED_VALUE_TYPE_INT : INDEXED_VALUE_TYPE_KEYWORD]),
  );
  if (Object.keys(missing).length > 0) await client.connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
}
