export * from './lib/registry-service.config';
export * from './lib/registry-service';
