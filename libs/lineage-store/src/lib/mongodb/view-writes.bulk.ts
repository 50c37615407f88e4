import { setAt } from '@prov/projections';
import type { ViewDocument, ViewName, ViewWrite } from '@prov/projections';
import type { AnyBulkWriteOperation } from 'mongodb';
import { encodeDocument, encodeValue } from './document-codec';

/**
 * One view's writes as driver bulk operations, in two phases.
 *
 * `inserts` run first: FerretDB inserts a batch in one step but runs each
 * update on its own (an upsert costs some 15 ms on SQLite, an insert well under
 * one), and a rebuild mostly writes documents that do not exist yet. An
 * insert that meets an existing `_id` (duplicate key) hands over to its
 * `onDuplicate` update, or, with none, means "already there".
 *
 * `updates` run second: the `onDuplicate` updates of the inserts that met an
 * existing document (a `set`'s `$set`, a `replace`'s upserting replace), and
 * the deletes.
 */
export interface ViewBulk {
  inserts: Array<{ document: ViewDocument; onDuplicate?: AnyBulkWriteOperation<ViewDocument> }>;
  updates: AnyBulkWriteOperation<ViewDocument>[];
}

export function toViewBulks(writes: readonly ViewWrite[]): Map<ViewName, ViewBulk> {
  const bulks = new Map<ViewName, ViewBulk>();
  for (const write of writes) {
    let bulk = bulks.get(write.view);
    if (!bulk) {
      bulk = { inserts: [], updates: [] };
      bulks.set(write.view, bulk);
    }
    addWrite(bulk, write);
  }
  return bulks;
}

function addWrite(bulk: ViewBulk, write: ViewWrite): void {
  switch (write.op) {
    case 'set': {
      // Paths are the views' own (checked), hence unchanged by the codec; the values are encoded.
      const fields = Object.entries(write.fields).map(([path, value]) => [path, encodeValue(value)] as const);
      const document: ViewDocument = { _id: write.id };
      for (const [path, value] of fields) setAt(document, path.split('.'), value);
      bulk.inserts.push({
        document,
        // With no fields, an existing document is already the result (and `$set: {}` is an error).
        onDuplicate:
          fields.length === 0
            ? undefined
            : { updateOne: { filter: { _id: write.id }, update: { $set: Object.fromEntries(fields) }, upsert: true } },
      });
      return;
    }
    case 'replace': {
      const replacement = encodeDocument(write.doc, write.id);
      bulk.inserts.push({
        document: replacement,
        onDuplicate: { replaceOne: { filter: { _id: write.id }, replacement, upsert: true } },
      });
      return;
    }
    case 'delete':
      bulk.updates.push({ deleteOne: { filter: { _id: write.id } } });
      return;
  }
}
