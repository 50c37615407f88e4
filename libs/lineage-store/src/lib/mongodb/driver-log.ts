import type { Logger } from '@prov/logging';
import type { MongoDBLogWritable, SeverityLevel } from 'mongodb';

const LEVELS: Record<SeverityLevel, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | undefined> = {
  emergency: 'fatal',
  alert: 'fatal',
  critical: 'fatal',
  error: 'error',
  warn: 'warn',
  notice: 'info',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  off: undefined,
};

/**
 * The MongoDB driver's log (off unless MONGODB_LOG_* asks for it) as records
 * of `logger`, context `mongodb`, with the driver's component and fields.
 */
export function mongodbDriverLog(logger: Logger): MongoDBLogWritable {
  return {
    write: ({ t: _time, c: component, s: severity, message, ...fields }) => {
      const method = LEVELS[severity];
      if (method) logger[method]({ context: 'mongodb', component, ...fields }, message ?? component);
    },
  };
}
