import { createLogger } from '@prov/logging';
import { Writable } from 'node:stream';
import { shutDown } from './shutdown-on-signals';

function recordingLogger() {
  const records: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      records.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('test-service', { level: 'info', format: 'json' }, stream), records };
}

describe('shutdown within a deadline', () => {
  it('stops every step in order and exits 0 when all finished', async () => {
    const { logger, records } = recordingLogger();
    const order: string[] = [];
    const step = (name: string) => ({ name, stop: async () => void order.push(name) });
    expect(await shutDown([step('HTTP server'), step('event log')], 1_000, logger)).toBe(0);
    expect(order).toEqual(['HTTP server', 'event log']);
    expect(records).toEqual([]);
  });

  it('goes on past a step that fails, logs it, and exits 1', async () => {
    const { logger, records } = recordingLogger();
    const stopped: string[] = [];
    const code = await shutDown(
      [
        { name: 'event log', stop: () => Promise.reject(new Error('connection closed')) },
        { name: 'store', stop: async () => void stopped.push('store') },
      ],
      1_000,
      logger,
    );
    expect(code).toBe(1);
    expect(stopped).toEqual(['store']);
    expect(records).toEqual([
      expect.objectContaining({ level: 50, msg: 'while stopping the event log: connection closed' }),
    ]);
  });

  it('abandons what is not done by the deadline, naming it, and exits 1', async () => {
    const { logger, records } = recordingLogger();
    const started = Date.now();
    const hanging = () => new Promise<void>(() => undefined);
    const code = await shutDown(
      [
        { name: 'HTTP server', stop: async () => undefined },
        { name: 'projector', stop: hanging },
        { name: 'store', stop: async () => undefined },
      ],
      200,
      logger,
    );
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(records).toEqual([
      expect.objectContaining({
        level: 50,
        abandoned: ['projector', 'store'],
        msg: 'not stopped within 200 ms (PROV_SHUTDOWN_TIMEOUT_MS): abandoned the projector, the store',
      }),
    ]);
  });
});
