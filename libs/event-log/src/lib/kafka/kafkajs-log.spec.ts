import { createLogger } from '@prov/logging';
import { logLevel } from 'kafkajs';
import { Writable } from 'node:stream';
import { kafkajsLogCreator } from './kafkajs-log';

describe("kafkajs's log", () => {
  it('becomes records of the service logger at the matching level, with kafkajs fields and context', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = kafkajsLogCreator(createLogger('projector', { level: 'debug', format: 'json' }, stream))(
      logLevel.DEBUG,
    );
    const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) =>
      log({
        namespace: 'Connection',
        level,
        label: logLevel[level],
        log: { timestamp: '2026-12-07T16:50:24.172Z', logger: 'kafkajs', message, ...extra },
      });
    entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED', {
      broker: '127.0.0.1:9092',
      clientId: 'projector',
    });
    entry(logLevel.WARN, 'Connection timeout');
    entry(logLevel.INFO, 'Consumer has joined the group', { groupId: 'projector' });
    entry(logLevel.DEBUG, 'Request Metadata(key: 3, version: 6)');
    entry(logLevel.NOTHING, 'never');

    const records = lines.map((line) => JSON.parse(line));
    expect(records.map(({ level }) => level)).toEqual([50, 40, 30, 20]);
    expect(records[0]).toEqual({
      level: 50,
      time: expect.any(String),
      service: 'projector',
      context: 'kafkajs',
      namespace: 'Connection',
      broker: '127.0.0.1:9092',
      clientId: 'projector',
      msg: 'Connection error: connect ECONNREFUSED',
    });
    expect(records[2]).toMatchObject({
      context: 'kafkajs',
      groupId: 'projector',
      msg: 'Consumer has joined the group',
    });
  });
});
