import { MAX_DEAD_LETTER_BYTES, Topics } from '@prov/contracts';
import type { LogRecord } from '@prov/event-log';
import { generateSigningKeyPair } from '@prov/integrity';
import { sealEvent } from '@prov/publishing';
import { TrustedKey } from '../decoding/trusted-keys';
import { deadLetterOf } from './dead-letter-publisher';
import { DeadLetterSigners, foldDeadLetter } from './dead-letter.fold';

const projectorKey = generateSigningKeyPair();
const otherKey = generateSigningKeyPair();
const trusted: TrustedKey[] = [
  { keyId: projectorKey.keyId, service: 'projector', publicKey: projectorKey.publicKey },
  { keyId: otherKey.keyId, service: 'inference-service', publicKey: otherKey.publicKey },
];
const signers: DeadLetterSigners = {
  service: 'projector',
  keys: (keyId) => trusted.find((key) => key.keyId === keyId),
  requireSignatures: true,
};

/** The dead letter of `message` (at provenance.inference.v1/3/1042) as the topic holds it. */
function letterRecord(
  message: Buffer,
  options: { signer?: typeof projectorKey | null; service?: string; key?: string; recordedAt?: string } = {},
): LogRecord {
  const payload = deadLetterOf(
    {
      record: {
        topic: Topics.inference,
        partition: 3,
        offset: '1042',
        key: 'batch:x',
        value: message,
        headers: {},
        timestamp: 0,
      },
      reason: 'invalid-payload',
      problems: [{ path: 'payload.predictions[0].at', problem: 'must be a calendar time' }],
    },
    'projector',
  );
  const signer = options.signer === undefined ? projectorKey : options.signer;
  const event = sealEvent(
    { type: 'deadletter.message.rejected', payload },
    {
      eventId: '0192f6a0-1c2d-7e3f-8a4b-5c6d7e8f9a01',
      recordedAt: options.recordedAt ?? '2026-12-01T10:00:00.000Z',
      service: options.service ?? 'projector',
      principal: 'projector',
      ...(signer ? { signer: { keyId: signer.keyId, privateKey: signer.privateKey } } : {}),
    },
  );
  return {
    topic: Topics.deadLetter,
    partition: 0,
    offset: '5',
    key: options.key ?? event.subject,
    value: Buffer.from(JSON.stringify(event)),
    headers: {},
    timestamp: 0,
  };
}

describe('a dead letter folded for listing', () => {
  it('keeps why and where the message was refused, and its first 256 bytes', () => {
    const message = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    expect(foldDeadLetter(letterRecord(message), signers)).toEqual({
      kind: 'dead-letter',
      letter: {
        deadLetterId: 'deadletter:provenance.inference.v1/3/1042',
        reason: 'invalid-payload',
        problems: [{ path: 'payload.predictions[0].at', problem: 'must be a calendar time' }],
        source: { topic: Topics.inference, partition: 3, offset: '1042', key: 'batch:x' },
        rejectedBy: 'projector',
        recordedAt: '2026-12-01T10:00:00.000Z',
        messageHeadBase64: message.subarray(0, 256).toString('base64'),
        messageTruncated: true,
      },
    });
  });

  it('keeps a short message whole, and says a message cut in the dead letter itself is truncated', () => {
    const short = foldDeadLetter(letterRecord(Buffer.from('{"not":"an event"}')), signers);
    expect(short).toMatchObject({
      letter: { messageHeadBase64: Buffer.from('{"not":"an event"}').toString('base64'), messageTruncated: false },
    });
    const huge = foldDeadLetter(letterRecord(Buffer.alloc(MAX_DEAD_LETTER_BYTES + 1, 0x41)), signers);
    expect(huge).toMatchObject({
      letter: { messageHeadBase64: Buffer.alloc(256, 0x41).toString('base64'), messageTruncated: true },
    });
  });

  it('spells its recorded time one way, UTC with milliseconds, so that listings order by it', () => {
    const folded = foldDeadLetter(letterRecord(Buffer.from('x'), { recordedAt: '2026-12-01T11:00:00+01:00' }), signers);
    expect(folded).toMatchObject({ letter: { recordedAt: '2026-12-01T10:00:00.000Z' } });
  });

  it.each([
    ['bytes that are no JSON', { ...letterRecord(Buffer.from('x')), value: Buffer.from([0xc3, 0x28]) }],
    ['an unsigned letter', letterRecord(Buffer.from('x'), { signer: null })],
    ['a letter signed by a key of another service', letterRecord(Buffer.from('x'), { signer: otherKey })],
    ['a letter claiming another service', letterRecord(Buffer.from('x'), { service: 'inference-service' })],
    ['a letter under another key', letterRecord(Buffer.from('x'), { key: 'deadletter:provenance.inference.v1/3/1' })],
  ])('leaves out %s', (_what, record) => {
    expect(foldDeadLetter(record, signers)).toMatchObject({ kind: 'not-a-dead-letter', problem: expect.any(String) });
  });

  it('leaves out an event of another type on the topic', () => {
    const record = letterRecord(Buffer.from('x'));
    const event = JSON.parse(record.value.toString());
    const other = { ...record, value: Buffer.from(JSON.stringify({ ...event, type: 'audit.checkpoint.signed' })) };
    expect(foldDeadLetter(other, signers).kind).toBe('not-a-dead-letter');
  });

  it('takes an unsigned letter when signatures are not required (a development setting)', () => {
    const record = letterRecord(Buffer.from('x'), { signer: null });
    expect(foldDeadLetter(record, { ...signers, requireSignatures: false }).kind).toBe('dead-letter');
  });
});
