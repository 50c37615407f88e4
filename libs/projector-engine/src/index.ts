export * from './lib/decoding/load-trusted-keys';
export * from './lib/projector.config';
export * from './lib/projector-service';
