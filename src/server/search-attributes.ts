import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { journeySearchAttributeKeys } from '../journey';

const { IndexedValueType } = temporal.api.enums.v1;

function indexedType(type: SearchAttributeType): temporal.api.enums.v1.IndexedValueType {
  switch (type) {
    case SearchAttributeType.KEYWORD:
      return IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    case SearchAttributeType.KEYWORD_LIST:
      return IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
    case SearchAttributeType.TEXT:
    case SearchAttributeType.INT:
    case SearchAttributeType.DOUBLE:
    case SearchAttributeType.BOOL:
    case SearchAttributeType.DATETIME:
      throw new TypeError(`No indexed type for search attribute type ${type}`);
  }
}

/**
 * Registers the journeys' search attributes in a namespace (idempotent: ones already there are kept).
 * `journeys dev` registers them on the local server at start; use this for the time-skipping server or a
 * self-hosted cluster. Temporal Cloud registers them in its UI or `tcld`.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(
    journeySearchAttributeKeys.map((key) => [key.name, indexedType(key.type)]),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    // ALREADY_EXISTS (6): registered by an earlier run.
    if ((err as { code?: number }).code !== 6) throw err;
  }
}
