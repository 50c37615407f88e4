import { EXAMPLE_PAYLOADS, Topics, compileCurrentPayloadValidator } from '@prov/contracts';
import type { LogRecord } from '@prov/event-log';
import { eventDigest, generateSigningKeyPair, payloadDigest, signEnvelope } from '@prov/integrity';
import { sealEvent } from '@prov/publishing';
import { DecodingPolicy, decodeRecord } from './record-decoder';
import { TrustedKeys } from './trusted-keys';

const training = generateSigningKeyPair();
const inference = generateSigningKeyPair();
const policy: DecodingPolicy = {
  keys: new TrustedKeys([
    { keyId: training.keyId, service: 'training-service', publicKey: training.publicKey },
    { keyId: inference.keyId, service: 'inference-service', publicKey: inference.publicKey },
  ]),
  requireSignatures: true,
  payloadValidators: { 'prediction.batch.recorded': compileCurrentPayloadValidator('prediction.batch.recorded') },
};

function flagEvent(signer = training, service = 'training-service') {
  return sealEvent(
    { type: 'dataset.slice.flagged', payload: EXAMPLE_PAYLOADS['dataset.slice.flagged'][1] as never },
    {
      eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718201',
      recordedAt: '2026-11-04T12:00:00.000Z',
      service,
      principal: 'alice',
      signer: { keyId: signer.keyId, privateKey: signer.privateKey },
    },
  );
}

/** A `training.run.started` event as schema version 1 published it. */
function runStartedV1(eventId: string) {
  const payload = EXAMPLE_PAYLOADS['training.run.started'][1];
  const v1 = signEnvelope(
    {
      eventId,
      type: 'training.run.started',
      schemaVersion: 1,
      subject: payload['runId'] as string,
      occurredAt: '2026-11-04T12:00:00.000Z',
      recordedAt: '2026-11-04T12:00:00.000Z',
      producer: { service: 'training-service', principal: 'alice' },
      payload,
      integrity: { payloadDigest: payloadDigest(payload) },
    },
    training.privateKey,
    training.keyId,
  );
  return { v1, payload };
}

function recordOf(value: unknown, overrides: Partial<LogRecord> = {}): LogRecord {
  const event = value as { subject?: string };
  return {
    topic: Topics.training,
    partition: 0,
    offset: '7',
    key: event.subject ?? 'k',
    value: Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)),
    headers: {},
    timestamp: 0,
    ...overrides,
  };
}

describe('decoding a log record', () => {
  it('gives the event of a signed, valid record', () => {
    const event = flagEvent();
    expect(decodeRecord(recordOf(event), policy)).toEqual({ kind: 'event', event, digest: eventDigest(event) });
  });

  it('accepts headers that describe the envelope, and refuses headers that name another type or version', () => {
    const event = flagEvent();
    const described = { 'event-type': event.type, 'schema-version': '1', 'content-type': 'application/json' };
    expect(decodeRecord(recordOf(event, { headers: described }), policy)).toMatchObject({ kind: 'event' });
    for (const [name, value] of [
      ['event-type', 'prediction.batch.recorded'],
      ['schema-version', '2'],
    ]) {
      expect(decodeRecord(recordOf(event, { headers: { ...described, [name]: value } }), policy)).toEqual({
        kind: 'rejected',
        reason: 'invalid-envelope',
        problems: [{ path: `headers.${name}`, problem: expect.stringContaining(JSON.stringify(value)) }],
      });
    }
  });

  it('gives an upcast event the digest of the envelope as published', () => {
    const { v1 } = runStartedV1('0190f1a4-8c1e-7b2a-9c3d-4e5f60718204');
    const decoded = decodeRecord(recordOf(v1), policy);
    expect(decoded.kind === 'event' && decoded.digest).toBe(eventDigest(v1));
  });

  it('upcasts an old schema version to the current one', () => {
    const { v1, payload } = runStartedV1('0190f1a4-8c1e-7b2a-9c3d-4e5f60718202');
    expect(decodeRecord(recordOf(v1), policy)).toMatchObject({
      kind: 'event',
      event: { schemaVersion: 2, upcastFrom: 1, payload: { runId: payload['runId'], seeds: expect.any(Object) } },
    });
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), 'unparseable', ''],
    ['text that is not JSON', Buffer.from('{"eventId":'), 'unparseable', ''],
    ['an unknown event type', { ...flagEvent(), type: 'dataset.exploded' }, 'unknown-type', 'type'],
    ['an unsupported schema version', { ...flagEvent(), schemaVersion: 9 }, 'unsupported-version', 'schemaVersion'],
    [
      'a payload off its contract',
      { ...flagEvent(), payload: { ...flagEvent().payload, severity: 'apocalyptic' } },
      'invalid-payload',
      'payload.severity',
    ],
    ['an envelope without its event id', { ...flagEvent(), eventId: undefined }, 'invalid-envelope', 'eventId'],
    [
      'an envelope without its schema version',
      { ...flagEvent(), schemaVersion: undefined },
      'invalid-envelope',
      'schemaVersion',
    ],
    ['a bare object naming a type', { type: 'prediction.batch.recorded' }, 'invalid-envelope', 'eventId'],
    [
      'a payload changed after sealing',
      { ...flagEvent(), payload: { ...flagEvent().payload, reason: 'something else' } },
      'payload-digest-mismatch',
      'integrity.payloadDigest',
    ],
    [
      'a signature of another envelope',
      { ...flagEvent(), eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f607182ff' },
      'bad-signature',
      'integrity.signature',
    ],
    [
      'an unsigned event',
      { ...flagEvent(), integrity: { payloadDigest: flagEvent().integrity.payloadDigest } },
      'bad-signature',
      'integrity.signature',
    ],
    ['a key nobody trusts', flagEvent(generateSigningKeyPair()), 'bad-signature', 'integrity.signature'],
    ['a key that signs for another service', flagEvent(inference), 'forbidden-producer', 'producer.service'],
  ])('refuses %s, saying why', (_what, value, reason, path) => {
    const decoded = decodeRecord(recordOf(value), policy);
    expect(decoded).toMatchObject({ kind: 'rejected', reason });
    expect(decoded.kind === 'rejected' && decoded.problems.map((p) => p.path)).toContain(path);
  });

  it("refuses an event its producer service may not publish, signed with that service's own trusted key", () => {
    const batch = sealEvent(
      { type: 'prediction.batch.recorded', payload: EXAMPLE_PAYLOADS['prediction.batch.recorded'][1] as never },
      {
        eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718203',
        recordedAt: '2026-11-04T12:00:00.000Z',
        service: 'training-service',
        principal: 'mallory',
        signer: { keyId: training.keyId, privateKey: training.privateKey },
      },
    );
    expect(decodeRecord(recordOf(batch, { topic: Topics.inference }), policy)).toMatchObject({
      kind: 'rejected',
      reason: 'forbidden-producer',
      problems: [{ path: 'producer.service', problem: expect.stringContaining('training-service publishes on') }],
    });
    const unsignedStranger = {
      ...flagEvent(training, 'etl-job'),
      integrity: { payloadDigest: flagEvent().integrity.payloadDigest },
    };
    expect(decodeRecord(recordOf(unsignedStranger), { ...policy, requireSignatures: false })).toMatchObject({
      kind: 'rejected',
      reason: 'forbidden-producer',
      problems: [{ path: 'producer.service', problem: '"etl-job" is not a producer service of the platform' }],
    });
  });

  it('refuses an event on another topic than its type belongs to, or under another key', () => {
    const event = flagEvent();
    expect(decodeRecord(recordOf(event, { topic: Topics.inference }), policy)).toMatchObject({
      kind: 'rejected',
      reason: 'invalid-envelope',
      problems: [{ path: 'type' }],
    });
    expect(decodeRecord(recordOf(event, { key: 'slice:sha256:' + '1'.repeat(64) }), policy)).toMatchObject({
      kind: 'rejected',
      reason: 'invalid-envelope',
      problems: [{ path: 'subject' }],
    });
  });

  it('checks prediction batches with the compiled validator, naming the field', () => {
    const payload = EXAMPLE_PAYLOADS['prediction.batch.recorded'][1] as { predictions: Array<Record<string, unknown>> };
    const broken = { ...payload, predictions: [{ ...payload.predictions[0], inputDigest: 'md5:abc' }] };
    const event = sealEvent(
      { type: 'prediction.batch.recorded', payload: broken as never },
      {
        eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718203',
        recordedAt: '2026-11-04T12:00:00.000Z',
        service: 'inference-service',
        principal: 'svc',
        signer: { keyId: inference.keyId, privateKey: inference.privateKey },
      },
    );
    const decoded = decodeRecord(recordOf(event, { topic: Topics.inference }), policy);
    expect(decoded).toMatchObject({ kind: 'rejected', reason: 'invalid-payload' });
    expect(decoded.kind === 'rejected' && decoded.problems[0].path).toBe('payload.predictions[0].inputDigest');
  });

  it('takes unsigned events only when signatures are not required', () => {
    const { integrity, ...rest } = flagEvent();
    const unsigned = { ...rest, integrity: { payloadDigest: integrity.payloadDigest } };
    expect(decodeRecord(recordOf(unsigned), { ...policy, requireSignatures: false })).toMatchObject({ kind: 'event' });
  });
});
