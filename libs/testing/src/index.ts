export * from './lib/infrastructure';
export * from './lib/unique-names';
export * from './lib/integration-env';
