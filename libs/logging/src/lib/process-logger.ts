import { Logger as NestLoggerFacade } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';
import { NestLogger } from './nest-logger';

export type LogFormat = 'json' | 'pretty';

export interface LogSettings {
  level: string;
  format: LogFormat;
}

const LEVELS = [...Object.keys(pino.levels.values), 'silent'];

/**
 * PROV_LOG_LEVEL (pino's levels, default `info`) and PROV_LOG_FORMAT
 * (`json`, one pino object per line; `pretty`, lines for a person), by
 * default `pretty` when stdout is a terminal and `json` otherwise.
 */
export function logSettings(
  env: NodeJS.ProcessEnv = process.env,
  terminal = process.stdout.isTTY === true,
): LogSettings {
  const level = env['PROV_LOG_LEVEL'] || 'info';
  if (!LEVELS.includes(level)) throw new Error(`PROV_LOG_LEVEL=${JSON.stringify(level)}: one of ${LEVELS.join(', ')}`);
  const format = env['PROV_LOG_FORMAT'] || (terminal ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') {
    throw new Error(`PROV_LOG_FORMAT=${JSON.stringify(format)}: json or pretty`);
  }
  return { level, format };
}

/**
 * A logger whose records all carry `service`, `level`, `time` (ISO 8601) and
 * `msg`, and `context` (the part of the service) where its caller names one;
 * written synchronously, so nothing is lost when the process exits.
 */
export function createLogger(service: string, settings: LogSettings, destination?: DestinationStream): Logger {
  const options = { level: settings.level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  if (settings.format === 'json') return pino(options, destination ?? pino.destination({ sync: true }));
  return pino(
    options,
    pretty({
      sync: true,
      destination,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'service,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    }),
  );
}

let root: Logger | undefined;

/**
 * Makes `service`'s logger the process's (processLogger): Nest's logger and
 * Node's warnings go through it. The first thing a service's main does, so
 * that no line is written in another format.
 */
export function startLogging(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const logger = createLogger(service, logSettings(env));
  root = logger;
  NestLoggerFacade.overrideLogger(new NestLogger(logger));
  // Node prints warnings (deprecations of the drivers) on stderr in a format of its own unless the listener is replaced.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ context: 'node', warning: warning.name }, warning.message));
  return logger;
}

/** The process's logger: the one startLogging made, or, in a process that made none (a test), one of `provenance`. */
export function processLogger(): Logger {
  return (root ??= createLogger('provenance', logSettings()));
}
