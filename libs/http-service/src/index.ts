export * from './lib/errors/api-error';
export { ApiErrorFilter } from './lib/errors/api-error.filter';
export * from './lib/auth/auth.decorators';
export * from './lib/health/readiness';
export * from './lib/config/load-config';
export * from './lib/logging/json-logger';
export * from './lib/http-service';
