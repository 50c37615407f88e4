export * from './lib/publishing.errors';
export * from './lib/seal-event';
export * from './lib/immutable-record-index';
export * from './lib/provenance-publisher';
export * from './lib/idempotency';
export * from './lib/known-records';
export * from './lib/referenced-record.errors';
