export { createLogger, logSettings, processLogger, startLogging } from './lib/process-logger';
export type { LogFormat, LogSettings } from './lib/process-logger';
export { NestLogger } from './lib/nest-logger';
export type { Logger } from 'pino';
