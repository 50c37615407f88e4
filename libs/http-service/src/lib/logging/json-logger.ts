import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

const NEST_START_UP = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * Structured JSON logs (one object per line) for Nest and for our own code.
 * Request headers and bodies are never logged, so keys and sensitive values
 * cannot leak through logs.
 */
export class JsonLogger implements LoggerService {
  readonly pino: Logger;

  constructor(
    service: string,
    level = process.env['PROV_LOG_LEVEL'] ?? 'info',
    // Several services in one process (the embedded platform) share Nest's one logger: one label for all.
    label = process.env['PROV_LOG_SERVICE'] ?? service,
  ) {
    this.pino = pino({ level, base: { service: label }, timestamp: pino.stdTimeFunctions.isoTime });
  }

  log(message: unknown, context?: string) {
    // Nest's start-up chatter (every module and route) is only wanted when debugging.
    if (context !== undefined && NEST_START_UP.has(context)) this.pino.debug({ context }, String(message));
    else this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
}
