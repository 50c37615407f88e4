export * from './lib/provenance-api.error';
export * from './lib/requests';
export * from './lib/answers';
export * from './lib/http-transport';
export * from './lib/prediction-recorder';
export * from './lib/provenance-client';
export * from './lib/answer-schemas';
