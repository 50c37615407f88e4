import { Topics } from '@prov/contracts';
import { KafkaEventLog, LogRecord, NamespacedEventLog } from '@prov/event-log';
import { RunningServices, productionEnv } from '@prov/platform-testing';
import type { DeadLetterPage } from '@prov/sdk';
import { integrationEnv, uniqueName } from '@prov/testing';
import { MongoClient } from 'mongodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prov } from './prov-command';

/**
 * Poison messages written straight onto the provenance topics of real
 * Kafka come back, each once, from `GET /v1/dead-letters` and `prov
 * dead-letters`, for auditors only: a dead letter delivered twice, and a
 * projector restarted, list nothing twice.
 */
describe('dead letters, through the gateway and the prov command line', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('dead-letters')}.`;
  const env: Record<string, string> = { ...productionEnv('dead-letters', topicPrefix), PROV_PROJECTOR_POLL_MS: '200' };
  const { kafkaBrokers, mongodbUri } = integrationEnv();
  let log: NamespacedEventLog;
  let cliEnv: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    await services.start(['projector', 'query-gateway'], env);
    log = new NamespacedEventLog(
      await KafkaEventLog.connect({ clientId: 'dead-letters-e2e', brokers: kafkaBrokers }),
      topicPrefix,
    );
    dataDir = await mkdtemp(join(tmpdir(), 'prov-dead-letters-'));
    cliEnv = {
      PROV_API_KEY: services.tokens.auditor,
      PROV_DATA_DIR: dataDir,
      PROV_GATEWAY_URL: services.urls['query-gateway'],
    };
  }, 180_000);

  afterAll(async () => {
    await log?.close();
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const listed = async (query = '', token = services.tokens.auditor) => {
    const answer = await fetch(`${services.urls['query-gateway']}/v1/dead-letters${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: answer.status, body: (await answer.json()) as DeadLetterPage };
  };

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: not within ${ms / 1000} s; the services said:\n${services.logs().slice(-4000)}`);
  }

  /** Once the projector has folded the dead-letter topic to its end, as its stored positions say. */
  async function deadLetterTopicFolded(): Promise<void> {
    const client = await new MongoClient(mongodbUri).connect();
    try {
      const positions = client.db(env['MONGODB_DATABASE']).collection('dead_letter_positions');
      await until('the dead-letter topic is folded', async () => {
        for (const { partition, latest } of await log.offsets(Topics.deadLetter)) {
          if (latest === '0') continue;
          // The projector names topics without the prefix of its namespace.
          const offset = (await positions.findOne({ topic: Topics.deadLetter, partition }))?.['offset'] as
            string | undefined;
          if (offset === undefined || BigInt(offset) < BigInt(latest)) return undefined;
        }
        return true;
      });
    } finally {
      await client.close();
    }
  }

  async function deadLetterRecords(): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    for (const { partition, latest } of await log.offsets(Topics.deadLetter))
      if (latest !== '0') records.push(...(await log.read(Topics.deadLetter, partition, '0', Number(latest))));
    return records;
  }

  it('lists each poison message once, newest first, with its position, reason and first bytes; auditors only', async () => {
    const poison = [
      { topic: Topics.inference, key: 'poison-json', value: Buffer.from('{"not": "an event"') },
      { topic: Topics.training, key: 'poison-long', value: Buffer.from(JSON.stringify({ padding: 'x'.repeat(300) })) },
    ];
    const positions: string[] = [];
    for (const message of poison) {
      const [at] = await log.publish(message.topic, [{ key: message.key, value: message.value }]);
      positions.push(`deadletter:${message.topic}/${at.partition}/${at.offset}`);
    }
    const first = await until('both poison messages listed', async () => {
      const { body } = await listed();
      return body.deadLetters.length >= 2 ? body : undefined;
    });
    expect(first.nextCursor).toBeNull();
    expect(first.deadLetters.map((l) => l.deadLetterId).sort()).toEqual([...positions].sort());
    const byId = new Map(first.deadLetters.map((l) => [l.deadLetterId, l]));
    expect(byId.get(positions[0])).toMatchObject({
      reason: 'unparseable',
      source: { topic: Topics.inference, key: 'poison-json' },
      rejectedBy: 'projector',
      messageHeadBase64: poison[0].value.toString('base64'),
      messageTruncated: false,
    });
    expect(byId.get(positions[0])?.problems.length).toBeGreaterThan(0);
    expect(byId.get(positions[1])).toMatchObject({
      source: { topic: Topics.training, key: 'poison-long' },
      reason: 'invalid-envelope',
      messageHeadBase64: poison[1].value.subarray(0, 256).toString('base64'),
      messageTruncated: true,
    });
    const times = first.deadLetters.map((l) => l.recordedAt);
    expect([...times].sort().reverse()).toEqual(times);

    // Every dead letter delivered once more, then the projector killed and started again: each still listed once.
    const records = await deadLetterRecords();
    for (const record of records) await log.publish(Topics.deadLetter, [{ key: record.key, value: record.value }]);
    await deadLetterTopicFolded();
    await services.killAndRestart('projector');
    const [at] = await log.publish(Topics.inference, [{ key: 'poison-after', value: Buffer.from([0xff]) }]);
    const third = `deadletter:${Topics.inference}/${at.partition}/${at.offset}`;
    const all = await until('the third poison message listed', async () => {
      const { body } = await listed();
      return body.deadLetters.some((l) => l.deadLetterId === third) ? body : undefined;
    });
    await deadLetterTopicFolded();
    const ids = (await listed()).body.deadLetters.map((l) => l.deadLetterId);
    expect(ids.sort()).toEqual([...positions, third].sort());
    expect(all.deadLetters[0].deadLetterId).toBe(third);

    expect((await listed(`?topic=${Topics.training}`)).body.deadLetters.map((l) => l.deadLetterId)).toEqual([
      positions[1],
    ]);
    for (const role of ['viewer', 'data-steward', 'model-engineer', 'ml-service'] as const)
      expect((await listed('', services.tokens[role])).status).toBe(403);

    // The command line, a page of one at a time followed to the end, and as a table.
    const cli = await prov(['dead-letters', '--all', '--limit', '1', '--json'], cliEnv);
    expect(cli.code).toBe(0);
    const pages = JSON.parse(cli.stdout) as DeadLetterPage;
    expect(pages).toEqual({ deadLetters: (await listed()).body.deadLetters, nextCursor: null });
    const one = JSON.parse((await prov(['dead-letters', '--limit', '1', '--json'], cliEnv)).stdout) as DeadLetterPage;
    expect(one.deadLetters).toHaveLength(1);
    const next = await prov(['dead-letters', '--limit', '5', '--cursor', one.nextCursor as string, '--json'], cliEnv);
    expect((JSON.parse(next.stdout) as DeadLetterPage).deadLetters).toEqual(pages.deadLetters.slice(1));
    const table = await prov(['dead-letters', '--reason', 'unparseable'], cliEnv);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${Topics.inference}/${positions[0].split('/').slice(1).join('/')}`);
    expect(table.stdout).toContain('unparseable');
    expect(table.stdout).not.toContain('poison-long');
    expect((await prov(['dead-letters'], { ...cliEnv, PROV_API_KEY: services.tokens.viewer })).code).toBe(5);
  }, 240_000);
});
