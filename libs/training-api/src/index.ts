export * from './lib/training-service.config';
export * from './lib/training-service';
