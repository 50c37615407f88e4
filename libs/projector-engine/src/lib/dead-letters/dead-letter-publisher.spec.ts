import { MAX_DEAD_LETTER_BYTES, Topics, validateEnvelope, validatePayload } from '@prov/contracts';
import { FileEventLog, LogRecord } from '@prov/event-log';
import { generateSigningKeyPair, verifyEnvelope } from '@prov/integrity';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterPublisher, deadLetterOf } from './dead-letter-publisher';

const record = (value: Buffer): LogRecord => ({
  topic: Topics.inference,
  partition: 3,
  offset: '1042',
  key: 'batch:x',
  value,
  headers: {},
  timestamp: 0,
});

describe('dead letters', () => {
  it('keep where the message was, why it was refused, and its exact bytes', () => {
    const value = Buffer.from([0x7b, 0xc3, 0x28]);
    const letter = deadLetterOf(
      { record: record(value), reason: 'unparseable', problems: [{ path: '', problem: 'not UTF-8' }] },
      'projector',
    );
    expect(letter).toEqual({
      deadLetterId: 'deadletter:provenance.inference.v1/3/1042',
      source: { topic: Topics.inference, partition: 3, offset: '1042', key: 'batch:x' },
      reason: 'unparseable',
      problems: [{ path: '', problem: 'not UTF-8' }],
      rawBase64: value.toString('base64'),
      rejectedBy: 'projector',
    });
    expect(validatePayload('deadletter.message.rejected', 1, letter)).toEqual([]);
  });

  it('keep the first MiB of a larger message and say it was cut', () => {
    const letter = deadLetterOf(
      { record: record(Buffer.alloc(MAX_DEAD_LETTER_BYTES + 10, 1)), reason: 'invalid-payload', problems: [] },
      'projector',
    );
    expect(Buffer.from(letter.rawBase64, 'base64')).toHaveLength(MAX_DEAD_LETTER_BYTES);
    expect(letter.truncated).toBe(true);
    expect(validatePayload('deadletter.message.rejected', 1, letter)).toEqual([]);
  });

  it('are published signed, keyed by their id, to the dead-letter topic', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dead-letters-'));
    const log = await FileEventLog.open(directory);
    try {
      await log.ensureTopics([{ name: Topics.deadLetter, partitions: 1 }]);
      const keys = generateSigningKeyPair();
      await new DeadLetterPublisher(log, 'projector', { keyId: keys.keyId, privateKey: keys.privateKey }).publish([
        {
          record: record(Buffer.from('{}')),
          reason: 'invalid-envelope',
          problems: [{ path: 'eventId', problem: 'x' }],
        },
      ]);
      const [stored] = await log.read(Topics.deadLetter, 0, '0', 10);
      const event = JSON.parse(stored.value.toString());
      expect(stored.key).toBe('deadletter:provenance.inference.v1/3/1042');
      expect(validateEnvelope(event)).toMatchObject({ ok: true });
      expect(verifyEnvelope(event, () => keys.publicKey, { requireSignature: true })).toEqual({
        ok: true,
        signed: true,
      });
      expect(event.payload.rawBase64).toBe(Buffer.from('{}').toString('base64'));
    } finally {
      await log.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('are published once per message, also by a publisher started later', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dead-letters-'));
    const log = await FileEventLog.open(directory);
    try {
      await log.ensureTopics([{ name: Topics.deadLetter, partitions: 2 }]);
      const rejection = { record: record(Buffer.from('x')), reason: 'unparseable' as const, problems: [] };
      const first = new DeadLetterPublisher(log, 'projector');
      await first.publish([rejection, rejection]);
      await first.publish([rejection]);
      await new DeadLetterPublisher(log, 'projector').publish([
        rejection,
        { ...rejection, record: { ...rejection.record, offset: '1043' } },
      ]);
      const keys = [];
      for (const p of await log.offsets(Topics.deadLetter)) {
        keys.push(...(await log.read(Topics.deadLetter, p.partition, '0', 10)).map((r) => r.key));
      }
      expect(keys.sort()).toEqual([
        'deadletter:provenance.inference.v1/3/1042',
        'deadletter:provenance.inference.v1/3/1043',
      ]);
    } finally {
      await log.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
