export * from './lib/infrastructure';
export * from './lib/unique-names';
export * from './lib/integration-env';
export * from './lib/read-events';
export * from './lib/producer-service-under-test';
export * from './lib/broker-control';
export * from './lib/provenance-scenario';
export * from './lib/lineage-events';
