export * from './lib/query-gateway.config';
export * from './lib/query-gateway';
