import { productionEnv, ServiceName, ServiceProcesses, serverControl, uniqueName } from '@prov/testing';

/**
 * SIGTERM to the five services as they run in production, once their Kafka
 * broker and store are gone and with a batch of predictions in flight: each
 * stops within PROV_SHUTDOWN_TIMEOUT_MS (abandoning what it cannot finish,
 * and saying so) instead of waiting out its drivers' timeouts. And every line
 * they wrote, from start-up through kafkajs's connection errors to the
 * shutdown, is one JSON log record (stdout is a pipe here, not a terminal).
 */
const SHUTDOWN_TIMEOUT_MS = 3_000;
/** Node's own start of the shutdown and its exit, beyond the deadline. */
const EXIT_MARGIN_MS = 2_000;
const SERVICES: ServiceName[] = [
  'training-service',
  'registry-service',
  'inference-service',
  'projector',
  'query-gateway',
];
const broker = serverControl('kafka');
const storeServer = serverControl('store');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A line's JSON value, or the line itself when it is not JSON (for the assertion to show). */
function jsonOrText(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

describe('services whose Kafka broker and store are gone', () => {
  const services = new ServiceProcesses();
  let exitCodes: Partial<Record<ServiceName, number | null>>;
  let stoppedInMs: number;

  beforeAll(async () => {
    await services.start(SERVICES, {
      ...productionEnv('shutdown', `${uniqueName('shutdown')}.`),
      PROV_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    await Promise.all([broker.stop(), storeServer.stop()]);
    // Time for the clients to notice: kafkajs logs its failed connections.
    await sleep(5_000);
    // In flight at SIGTERM: the service retries the broker for seconds, and waits for it up to KAFKA_PUBLISH_TIMEOUT_MS.
    void fetch(`${services.urls['inference-service']}/v1/predictions:batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${services.tokens['ml-service']}` },
      body: JSON.stringify({
        deployment: 'shutdown',
        modelVersionId: 'model:shutdown@1',
        artifactDigest: `sha256:${'9'.repeat(64)}`,
        predictions: [
          { id: uniqueName('in-flight'), at: '2026-11-25T10:00:00Z', inputDigest: `sha256:${'3'.repeat(64)}` },
        ],
      }),
    }).catch(() => undefined); // its answer, or the connection cut at exit, is not what is tested
    await sleep(1_000);
    const started = Date.now();
    exitCodes = await services.stop();
    stoppedInMs = Date.now() - started;
  }, 300_000);

  afterAll(async () => {
    // The suites after this one need the servers.
    await broker.start();
    await storeServer.start();
  }, 180_000);

  it('stops every service within PROV_SHUTDOWN_TIMEOUT_MS of SIGTERM, naming the work it abandoned', () => {
    expect(stoppedInMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS);
    for (const name of SERVICES) {
      const code = exitCodes[name];
      expect([name, code]).toEqual([name, expect.any(Number)]);
      if (code === 0) continue;
      // Exit code 1: the log says what did not stop cleanly.
      expect([name, code]).toEqual([name, 1]);
      const problems = services.lines(name).filter((line) => /not stopped within|while stopping the/.test(line));
      expect([name, problems.length > 0]).toEqual([name, true]);
    }
    // The inference service had a publish in flight to a broker that is gone: it could not finish it.
    expect(exitCodes['inference-service']).toBe(1);
  });

  it('wrote nothing but JSON log records with the service, level, time and message, kafkajs included', () => {
    const contexts = new Set<string>();
    for (const name of SERVICES) {
      for (const line of services.lines(name)) {
        const record = jsonOrText(line);
        expect({ name, line, record }).toEqual({
          name,
          line,
          record: expect.objectContaining({
            service: name,
            level: expect.any(Number),
            time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
            msg: expect.any(String),
          }),
        });
        contexts.add(String((record as { context?: string }).context));
      }
    }
    expect([...contexts]).toContain('kafkajs');
  });
});
