export * from './lib/lineage-store.port';
export * from './lib/lineage-store.errors';
export { VIEW_INDEXES } from './lib/view-indexes';
export type { IndexKey } from './lib/view-indexes';
export { InMemoryLineageStore } from './lib/memory/in-memory-lineage-store';
export { MongoLineageStore } from './lib/mongodb/mongodb-lineage-store';
export type { MongoLineageStoreOptions } from './lib/mongodb/mongodb-lineage-store.options';
export { decodeValue, encodeValue } from './lib/mongodb/document-codec';
