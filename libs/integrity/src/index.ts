export * from './lib/integrity.errors';
export * from './lib/canonical-json';
export * from './lib/digest';
export * from './lib/dataset-manifest';
export * from './lib/envelope-signature';
export * from './lib/merkle-tree';
