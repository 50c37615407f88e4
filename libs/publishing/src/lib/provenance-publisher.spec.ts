import {
  EXAMPLE_PAYLOADS,
  EventEnvelope,
  Topics,
  compileCurrentPayloadValidator,
  validateEnvelope,
} from '@prov/contracts';
import { EventLog, FileEventLog } from '@prov/event-log';
import { generateSigningKeyPair, payloadDigest, verifyEnvelope } from '@prov/integrity';
import { Principal } from '@prov/auth';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImmutableRecordIndex } from './immutable-record-index';
import { ProvenancePublisher } from './provenance-publisher';
import {
  ContractViolationError,
  EventLogUnavailableError,
  ImmutableRecordConflictError,
  PublishForbiddenError,
} from './publishing.errors';

const steward: Principal = { id: 'alice', roles: ['data-steward'] };
const engineer: Principal = { id: 'bob', roles: ['model-engineer'] };
const dataset = () => structuredClone(EXAMPLE_PAYLOADS['dataset.registered'][1]) as never;
const flag = () => structuredClone(EXAMPLE_PAYLOADS['dataset.slice.flagged'][1]) as never;

async function readAll(log: EventLog, topic: string): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (const { partition, latest } of await log.offsets(topic)) {
    if (latest === '0') continue;
    for (const record of await log.read(topic, partition, '0', Number(latest)))
      events.push(JSON.parse(record.value.toString()));
  }
  return events;
}

describe('provenance publisher', () => {
  const keys = generateSigningKeyPair();
  let directory: string;
  let log: FileEventLog;
  let publisher: ProvenancePublisher;
  const clock = () => new Date('2026-11-04T12:00:00.000Z');

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'publisher-'));
    log = await FileEventLog.open(directory, { fsync: 'never' });
    await log.ensureTopics([{ name: Topics.training, partitions: 3 }]);
    publisher = new ProvenancePublisher(log, {
      service: 'training-service',
      signer: { keyId: keys.keyId, privateKey: keys.privateKey },
      clock,
    });
  });
  afterEach(async () => {
    await log.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('publishes a sealed, signed event on its topic, keyed by its subject, once acknowledged', async () => {
    const { event, created } = await publisher.publish(
      { type: 'dataset.registered', payload: dataset(), occurredAt: '2026-11-04T11:59:00Z' },
      steward,
    );
    expect(created).toBe(true);
    expect(event).toMatchObject({
      type: 'dataset.registered',
      schemaVersion: 1,
      subject: 'dataset:crm/customer-events',
      occurredAt: '2026-11-04T11:59:00Z',
      recordedAt: '2026-11-04T12:00:00.000Z',
      producer: { service: 'training-service', principal: 'alice' },
      integrity: { payloadDigest: payloadDigest(dataset()), keyId: keys.keyId },
    });
    const [onLog] = await readAll(log, Topics.training);
    expect(onLog).toEqual(event);
    expect(validateEnvelope(onLog).ok).toBe(true);
    expect(verifyEnvelope(onLog, () => keys.publicKey, { requireSignature: true })).toEqual({ ok: true, signed: true });
    const written = (await log.offsets(Topics.training)).filter((p) => p.latest !== '0');
    expect(written).toHaveLength(1);
    const [record] = await log.read(Topics.training, written[0].partition, '0', 1);
    expect(record.key).toBe('dataset:crm/customer-events');
    expect(record.headers).toMatchObject({ 'event-type': 'dataset.registered', 'schema-version': '1' });
  });

  it('refuses an event type outside the principal’s domain, publishing nothing', async () => {
    await expect(publisher.publish({ type: 'dataset.registered', payload: dataset() }, engineer)).rejects.toThrow(
      PublishForbiddenError,
    );
    expect(await readAll(log, Topics.training)).toEqual([]);
  });

  it('refuses a payload that breaks its contract, with the problems', async () => {
    const payload = { ...(dataset() as object), namespace: 'a/b' } as never;
    const error = await publisher.publish({ type: 'dataset.registered', payload }, steward).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).details[0].path).toBe('payload.namespace');
  });

  it('checks hot-path payloads with a compiled validator when given one', async () => {
    const fast = new ProvenancePublisher(log, {
      service: 'inference-service',
      payloadValidators: { 'prediction.batch.recorded': compileCurrentPayloadValidator('prediction.batch.recorded') },
    });
    const batch = structuredClone(EXAMPLE_PAYLOADS['prediction.batch.recorded'][1]) as Record<string, unknown>;
    await log.ensureTopics([{ name: Topics.inference, partitions: 3 }]);
    const ml: Principal = { id: 'svc', roles: ['ml-service'] };
    expect((await fast.publish({ type: 'prediction.batch.recorded', payload: batch as never }, ml)).created).toBe(true);
    const error = await fast
      .publish({ type: 'prediction.batch.recorded', payload: { ...batch, artifactDigest: 'md5:x' } as never }, ml)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).details[0].path).toBe('payload.artifactDigest');
  });

  it('publishes an identical immutable record once, and refuses different content', async () => {
    expect((await publisher.publish({ type: 'dataset.registered', payload: dataset() }, steward)).created).toBe(true);
    expect((await publisher.publish({ type: 'dataset.registered', payload: dataset() }, steward)).created).toBe(false);
    const changed = { ...(dataset() as object), owner: 'mallory@example.com' } as never;
    await expect(publisher.publish({ type: 'dataset.registered', payload: changed }, steward)).rejects.toThrow(
      ImmutableRecordConflictError,
    );
    expect(await readAll(log, Topics.training)).toHaveLength(1);
  });

  it('publishes concurrent identical registrations once', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => publisher.publish({ type: 'dataset.registered', payload: dataset() }, steward)),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await readAll(log, Topics.training)).toHaveLength(1);
  });

  it('publishes appendable facts every time', async () => {
    await publisher.publish({ type: 'dataset.slice.flagged', payload: flag() }, steward);
    await publisher.publish({ type: 'dataset.slice.flagged', payload: flag() }, steward);
    expect(await readAll(log, Topics.training)).toHaveLength(2);
  });

  it('remembers immutable records already on the log after a restart', async () => {
    await publisher.publish({ type: 'dataset.registered', payload: dataset() }, steward);
    const records = new ImmutableRecordIndex();
    await records.catchUp(log, [Topics.training]);
    const restarted = new ProvenancePublisher(log, { service: 'training-service', records, clock });
    expect((await restarted.publish({ type: 'dataset.registered', payload: dataset() }, steward)).created).toBe(false);
    const changed = { ...(dataset() as object), owner: 'mallory@example.com' } as never;
    await expect(restarted.publish({ type: 'dataset.registered', payload: changed }, steward)).rejects.toThrow(
      ImmutableRecordConflictError,
    );
  });

  it('catches up with records another replica published since the last look', async () => {
    const records = new ImmutableRecordIndex();
    await records.catchUp(log, [Topics.training]);
    await publisher.publish({ type: 'dataset.registered', payload: dataset() }, steward);
    expect(records.has('dataset.registered', 'dataset:crm/customer-events')).toBe(false);
    await records.catchUp(log, [Topics.training]);
    expect(records.has('dataset.registered', 'dataset:crm/customer-events')).toBe(true);
    expect(records.size).toBe(1);
  });

  it('answers unavailable when the log does not acknowledge, and remembers nothing', async () => {
    const failing: EventLog = {
      ...log,
      publish: () => Promise.reject(new Error('broker down')),
    } as unknown as EventLog;
    const records = new ImmutableRecordIndex();
    const down = new ProvenancePublisher(failing, { service: 'training-service', records, clock });
    const error = await down
      .publish({ type: 'dataset.registered', payload: dataset() }, steward)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventLogUnavailableError);
    expect((error as EventLogUnavailableError).retriable).toBe(true);
    expect(records.size).toBe(0);
  });
});
