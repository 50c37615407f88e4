import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { createLogger, logSettings } from './process-logger';
import { NestLogger } from './nest-logger';

function captured(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('log settings', () => {
  it('are pretty on a terminal and JSON otherwise, unless PROV_LOG_FORMAT says', () => {
    expect(logSettings({}, true)).toEqual({ level: 'info', format: 'pretty' });
    expect(logSettings({}, false)).toEqual({ level: 'info', format: 'json' });
    expect(logSettings({ PROV_LOG_FORMAT: 'json', PROV_LOG_LEVEL: 'warn' }, true)).toEqual({
      level: 'warn',
      format: 'json',
    });
    expect(logSettings({ PROV_LOG_FORMAT: 'pretty' }, false).format).toBe('pretty');
  });

  it('refuse an unknown format or level, naming the variable', () => {
    expect(() => logSettings({ PROV_LOG_FORMAT: 'text' }, false)).toThrow(/PROV_LOG_FORMAT="text": json or pretty/);
    expect(() => logSettings({ PROV_LOG_LEVEL: 'loud' }, false)).toThrow(/PROV_LOG_LEVEL="loud": one of trace/);
  });
});

describe('a service logger', () => {
  it('writes one JSON object a line with service, level, time, context and msg, Nest included', () => {
    const out = captured();
    const logger = createLogger('training-service', { level: 'debug', format: 'json' }, out.stream);
    logger.child({ context: 'kafkajs' }).error({ broker: '127.0.0.1:9092' }, 'Connection error');
    new NestLogger(logger).log('listening', 'training-service');
    new NestLogger(logger).log('Mapped {/v1/runs, POST} route', 'RouterExplorer');

    const records = out.lines().map((line) => JSON.parse(line));
    expect(records).toEqual([
      {
        service: 'training-service',
        level: 50,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        context: 'kafkajs',
        broker: '127.0.0.1:9092',
        msg: 'Connection error',
      },
      expect.objectContaining({ level: 30, context: 'training-service', msg: 'listening' }),
      // Nest's start-up chatter is debug.
      expect.objectContaining({ level: 20, context: 'RouterExplorer' }),
    ]);
  });

  it('writes a line a person reads in the pretty format: time, level, context and message', () => {
    const out = captured();
    createLogger('platform', { level: 'info', format: 'pretty' }, out.stream)
      .child({ context: 'projector' })
      .info('generation live-first caught up');
    const [line] = out.lines().map(stripVTControlCharacters);
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[projector\] generation live-first caught up$/);
  });
});
