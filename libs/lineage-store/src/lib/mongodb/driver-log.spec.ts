import { createLogger } from '@prov/logging';
import { Writable } from 'node:stream';
import { mongodbDriverLog } from './driver-log';

describe("the MongoDB driver's log", () => {
  it('becomes records of the service logger at the matching level, with the component and fields', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = mongodbDriverLog(createLogger('query-gateway', { level: 'trace', format: 'json' }, stream));
    const t = new Date();
    void log.write({
      t,
      c: 'serverSelection',
      s: 'info',
      message: 'Waiting for suitable server to become available',
      operation: 'find',
    });
    void log.write({ t, c: 'connection', s: 'debug', message: 'Connection closed', reason: 'error' });
    void log.write({ t, c: 'topology', s: 'emergency' });
    void log.write({ t, c: 'command', s: 'off', message: 'never' });

    const records = lines.map((line) => JSON.parse(line));
    expect(records).toEqual([
      {
        level: 30,
        time: expect.any(String),
        service: 'query-gateway',
        context: 'mongodb',
        component: 'serverSelection',
        operation: 'find',
        msg: 'Waiting for suitable server to become available',
      },
      expect.objectContaining({ level: 20, component: 'connection', reason: 'error', msg: 'Connection closed' }),
      expect.objectContaining({ level: 60, component: 'topology', msg: 'topology' }),
    ]);
  });
});
