import type { Logger } from '@prov/logging';
import { logCreator, logLevel } from 'kafkajs';

const LEVELS: Partial<Record<logLevel, 'error' | 'warn' | 'info' | 'debug'>> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs's log as records of `logger`, context `kafkajs`, at the same level,
 * with kafkajs's fields (broker, clientId, groupId, error...) beside its
 * message; its own timestamp and logger name give way to the logger's.
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log: { message, timestamp: _timestamp, logger: _logger, ...fields } }) => {
      const method = LEVELS[level];
      if (method) logger[method]({ context: 'kafkajs', namespace, ...fields }, message);
    };
}
