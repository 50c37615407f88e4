export * from './lib/query-gateway.config';
export * from './lib/query-gateway';
export * from './lib/models/policy-catalog';
