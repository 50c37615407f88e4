export * from './lib/running-services';
