import { compareScalars, selectDocuments } from '@prov/projections';
import type { FieldPath, Scalar, ViewDocument, ViewName, ViewQuery, ViewWrite } from '@prov/projections';
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { checkFieldPath, checkQueryPaths, checkWritePaths } from '../field-path';
import type { ConsumedPosition, ViewGeneration } from '../lineage-store.port';
import { OFFSETS_COLLECTION, REVISIONS_COLLECTION, offsetId, revisionId, viewCollectionName } from './collection-names';
import { decodeDocument, decodeValue, encodeDocument } from './document-codec';
import { guarded } from './driver-errors';
import { askInTurns, equalitySplit } from './equality-split';
import { INSERT_CHUNK, insertAbsent } from './insert-absent';
import { UpdateGate } from './update-gate';
import { toFilter, toSort } from './view-query.filter';
import { ViewBulk, toViewBulks } from './view-writes.bulk';

/**
 * Up to this many ids are read by one `_id` equality query each, in
 * parallel: FerretDB pushes an equality down to its backend (where an index
 * can serve it), never an `$in`. A trace is three such point reads.
 */
const POINT_READS = 32;
/**
 * Views that grow with every prediction (or event): an `$in` scans the whole
 * collection on FerretDB, so their ids are always read by equality, at
 * most POINT_READS in flight, however many are asked for (a re-sent batch
 * reads hundreds of earlier records; a scan of millions of predictions
 * would take seconds each time).
 */
const PREDICTION_VIEWS: ReadonlySet<ViewName> = new Set<ViewName>([
  'predictions',
  'prediction_batches',
  'prediction_batch_ids',
  'prediction_claims',
  'prediction_losses',
  'folded_events',
]);

interface RevisionDocument {
  _id: string;
  generation: string;
  view: ViewName;
  revision: number;
}

interface OffsetDocument {
  _id: string;
  generation: string;
  topic: string;
  partition: number;
  offset: string;
}

/** One generation's views as `v_<generation>_<view>` collections, and its offsets in `projector_offsets`. */
export class MongoViewGeneration implements ViewGeneration {
  constructor(
    readonly name: string,
    private readonly db: Db,
    private readonly updates: UpdateGate,
  ) {}

  get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    return guarded(`get from ${view}`, async () => {
      const found = new Map<string, ViewDocument>();
      const unique = [...new Set(ids)];
      if (unique.length === 0) return found;
      if (unique.length > POINT_READS && !PREDICTION_VIEWS.has(view)) {
        for (const doc of await this.collection(view)
          .find({ _id: { $in: unique } })
          .toArray())
          found.set(doc._id, decodeDocument(doc));
        return found;
      }
      let next = 0;
      const reader = async () => {
        while (next < unique.length) {
          const doc = await this.collection(view).findOne({ _id: unique[next++] });
          if (doc) found.set(doc._id, decodeDocument(doc));
        }
      };
      await Promise.all(Array.from({ length: Math.min(POINT_READS, unique.length) }, reader));
      return found;
    });
  }

  find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]> {
    return guarded(`find in ${view}`, async () => {
      checkQueryPaths(query);
      // The driver reads limit 0 as "no limit".
      if (query.limit === 0) return [];
      const split = equalitySplit(view, query.where);
      if (split) {
        const parts = await askInTurns(split, (where) => this.find(view, { ...query, where }));
        // Each part sorted and limited alike: the first `limit` of them all, in the same order, are the answer.
        return selectDocuments(parts.flat(), { sort: query.sort, limit: query.limit });
      }
      const docs = await this.collection(view)
        .find(toFilter(query.where), {
          sort: toSort(query.sort),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        })
        .toArray();
      return docs.map(decodeDocument);
    });
  }

  count(view: ViewName, where?: ViewQuery['where']): Promise<number> {
    return guarded(`count in ${view}`, async () => {
      const split = equalitySplit(view, where);
      if (!split) return this.collection(view).countDocuments(toFilter(where));
      const counts = await askInTurns(split, (part) => this.collection(view).countDocuments(toFilter(part)));
      return counts.reduce((sum, count) => sum + count, 0);
    });
  }

  sum(
    view: ViewName,
    where: ViewQuery['where'],
    field: FieldPath,
    groupBy: FieldPath,
  ): Promise<Array<{ key: Scalar; total: number; count: number }>> {
    return guarded(`sum in ${view}`, async () => {
      const split = equalitySplit(view, where);
      if (split) {
        const parts = await askInTurns(split, (part) => this.sum(view, part, field, groupBy));
        const merged = new Map<string, { key: Scalar; total: number; count: number }>();
        for (const group of parts.flat()) {
          const key = JSON.stringify(group.key);
          const into = merged.get(key);
          if (into) {
            into.total += group.total;
            into.count += group.count;
          } else merged.set(key, { ...group });
        }
        return [...merged.values()].sort((a, b) => compareScalars(a.key, b.key));
      }
      const $match = toFilter(where);
      const $group = `$${checkFieldPath(groupBy)}`;
      // FerretDB v1 computes only the first accumulator of a $group (the others come back 0), so one pipeline each.
      const [totals, counts] = await Promise.all([
        this.collection(view)
          .aggregate<{ _id: unknown; n: number }>([
            { $match },
            { $group: { _id: $group, n: { $sum: `$${checkFieldPath(field)}` } } },
          ])
          .toArray(),
        this.collection(view)
          .aggregate<{ _id: unknown; n: number }>([{ $match }, { $group: { _id: $group, n: { $sum: 1 } } }])
          .toArray(),
      ]);
      const groups = new Map<string, { key: Scalar; total: number; count: number }>();
      for (const { _id, n } of counts)
        groups.set(JSON.stringify(_id), { key: decodeValue(_id ?? null) as Scalar, total: 0, count: n });
      for (const { _id, n } of totals) {
        const group = groups.get(JSON.stringify(_id));
        if (group) group.total = n;
      }
      return [...groups.values()].sort((a, b) => compareScalars(a.key, b.key));
    });
  }

  apply(writes: readonly ViewWrite[]): Promise<void> {
    return guarded(`apply to generation ${this.name}`, async () => {
      checkWritePaths(writes);
      const bulks = toViewBulks(writes);
      await Promise.all(
        [...bulks].map(async ([view, { inserts, updates }]) => {
          const onDuplicates = await this.insertAll(view, inserts);
          await this.updateAll(view, [...onDuplicates, ...updates]);
        }),
      );
      await this.raiseRevisions([...bulks.keys()]);
    });
  }

  insertNew(view: ViewName, docs: readonly ViewDocument[]): Promise<Set<string>> {
    return guarded(`insert into ${view} of generation ${this.name}`, async () => {
      const present = new Set<string>();
      if (docs.length === 0) return present;
      const chunks: ViewDocument[][] = [];
      for (let start = 0; start < docs.length; start += INSERT_CHUNK)
        chunks.push(docs.slice(start, start + INSERT_CHUNK));
      // Two commands in flight keep the server busy while the next one is encoded and sent.
      let next = 0;
      const insertChunks = async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++];
          const encoded = chunk.map((doc) => encodeDocument(doc, doc._id));
          for (const index of await insertAbsent(this.collection(view), encoded)) present.add(chunk[index]._id);
        }
      };
      await Promise.all([insertChunks(), insertChunks()]);
      await this.raiseRevisions([view]);
      return present;
    });
  }

  revisions(views: readonly ViewName[]): Promise<Map<ViewName, number>> {
    return guarded(`read view revisions of ${this.name}`, async () => {
      const found = new Map<ViewName, number>(views.map((view) => [view, 0]));
      // One equality query: FerretDB pushes it down; a generation has one document per view.
      for (const doc of await this.revisionsCollection().find({ generation: this.name }).toArray()) {
        if (found.has(doc.view)) found.set(doc.view, doc.revision);
      }
      return found;
    });
  }

  saveOffsets(positions: ConsumedPosition[]): Promise<void> {
    return guarded(`save offsets of ${this.name}`, async () => {
      if (positions.length === 0) return;
      await this.updates.bulkWrite(
        this.offsets(),
        positions.map(({ topic, partition, offset }) => ({
          updateOne: {
            filter: { _id: offsetId(this.name, topic, partition) },
            update: { $set: { generation: this.name, topic, partition, offset } },
            upsert: true,
          },
        })),
      );
    });
  }

  loadOffsets(): Promise<ConsumedPosition[]> {
    return guarded(`load offsets of ${this.name}`, async () => {
      const docs = await this.offsets()
        .find(
          { generation: this.name },
          {
            sort: [
              ['topic', 1],
              ['partition', 1],
            ],
          },
        )
        .toArray();
      return docs.map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    });
  }

  private async raiseRevisions(views: readonly ViewName[]): Promise<void> {
    if (views.length === 0) return;
    await this.updates.bulkWrite(
      this.revisionsCollection(),
      views.map((view) => ({
        updateOne: {
          filter: { _id: revisionId(this.name, view) },
          update: { $inc: { revision: 1 }, $set: { generation: this.name, view } },
          upsert: true,
        },
      })),
    );
  }

  /** Inserts the documents; gives back the updates of those whose `_id` was already there. */
  private async insertAll(
    view: ViewName,
    inserts: ViewBulk['inserts'],
  ): Promise<AnyBulkWriteOperation<ViewDocument>[]> {
    const onDuplicates: AnyBulkWriteOperation<ViewDocument>[] = [];
    for (const index of await insertAbsent(
      this.collection(view),
      inserts.map(({ document }) => document),
    )) {
      const onDuplicate = inserts[index].onDuplicate;
      if (onDuplicate) onDuplicates.push(onDuplicate);
    }
    return onDuplicates;
  }

  private async updateAll(view: ViewName, updates: AnyBulkWriteOperation<ViewDocument>[]): Promise<void> {
    await this.updates.bulkWrite(this.collection(view), updates);
  }

  private collection(view: ViewName) {
    return this.db.collection<ViewDocument>(viewCollectionName(this.name, view));
  }

  private offsets() {
    return this.db.collection<OffsetDocument>(OFFSETS_COLLECTION);
  }

  private revisionsCollection() {
    return this.db.collection<RevisionDocument>(REVISIONS_COLLECTION);
  }
}
