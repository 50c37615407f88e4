export * from './lib/inference-service.config';
export * from './lib/inference-service';
