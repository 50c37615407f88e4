import { EVENT_CATALOG, EventType } from './catalog/event-catalog';
import { EXAMPLE_PAYLOADS, exampleEnvelope } from './examples/example-events';
import { INVALID_PAYLOAD_EXAMPLES } from './examples/invalid-payload-examples';
import { parseEvent, validateEnvelope, validatePayload } from './validate-event';
import { compileCurrentPayloadValidator } from './json-schema/schema-validator';

type Payload = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value);
const envelopeFor = (type: EventType, version: number, payload: Payload) =>
  exampleEnvelope(type, version, payload, EVENT_CATALOG[type].subjectOf(payload as never));

const versionsOf = (type: EventType) => Object.keys(EVENT_CATALOG[type].versions).map(Number);

describe('event validation', () => {
  describe.each(Object.keys(EVENT_CATALOG) as EventType[])('%s', (type) => {
    it.each(versionsOf(type))('accepts the example of schema version %d', (version) => {
      const payload = clone(EXAMPLE_PAYLOADS[type][version]);
      expect(validateEnvelope(envelopeFor(type, version, payload))).toEqual({ ok: true, value: expect.anything() });
    });

    it('has at least two invalid cases', () => {
      expect(INVALID_PAYLOAD_EXAMPLES[type].length).toBeGreaterThanOrEqual(2);
    });

    const current = EVENT_CATALOG[type].currentVersion;
    it.each(INVALID_PAYLOAD_EXAMPLES[type].map((c) => [c.name, c] as const))(
      'refuses %s, naming the field',
      (_name, invalid) => {
        const payload = clone(EXAMPLE_PAYLOADS[type][current]);
        const subject = EVENT_CATALOG[type].subjectOf(payload as never);
        invalid.mutate(payload);
        const outcome = validateEnvelope(exampleEnvelope(type, current, payload, subject));
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.problems[0].path).toBe(invalid.path);
      },
    );
  });

  it('checks a current payload with a compiled validator when given one, with the same field paths', () => {
    const type = 'prediction.batch.recorded';
    const compiled = compileCurrentPayloadValidator(type);
    const valid = clone(EXAMPLE_PAYLOADS[type][2]);
    expect(validateEnvelope(envelopeFor(type, 2, valid), { payloadValidators: { [type]: compiled } })).toMatchObject({
      ok: true,
    });
    // An older version is checked against its own class, whatever compiled validator is given.
    const older = clone(EXAMPLE_PAYLOADS[type][1]);
    expect(validateEnvelope(envelopeFor(type, 1, older), { payloadValidators: { [type]: compiled } })).toMatchObject({
      ok: true,
    });
    const sealedInV1 = clone(EXAMPLE_PAYLOADS[type][2]);
    expect(
      validateEnvelope(envelopeFor(type, 1, sealedInV1), { payloadValidators: { [type]: compiled } }),
    ).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([expect.objectContaining({ path: 'payload.predictions[2].dataSubject' })]),
    });
    const broken = clone(valid) as { predictions: Array<Record<string, unknown>> };
    broken.predictions[1]['inputDigest'] = 42;
    const outcome = validateEnvelope(envelopeFor(type, 2, broken), { payloadValidators: { [type]: compiled } });
    expect(outcome).toMatchObject({ ok: false, problems: [{ path: 'payload.predictions[1].inputDigest' }] });
  });

  it('refuses unknown payload fields with their path', () => {
    const payload = { ...clone(EXAMPLE_PAYLOADS['model.version.revoked'][1]), revokedBy: 'mallory' };
    expect(validatePayload('model.version.revoked', 1, payload)).toEqual([
      { path: 'payload.revokedBy', problem: 'property revokedBy should not exist' },
    ]);
  });

  it('refuses a subject that is not the entity the payload names', () => {
    const payload = clone(EXAMPLE_PAYLOADS['dataset.slice.flagged'][1]);
    const outcome = validateEnvelope(
      exampleEnvelope('dataset.slice.flagged', 1, payload, 'slice:sha256:' + '0'.repeat(64)),
    );
    expect(outcome).toEqual({
      ok: false,
      problems: [{ path: 'subject', problem: expect.stringContaining(payload['sliceId'] as string) }],
    });
  });

  it('refuses an unsupported schema version', () => {
    const payload = clone(EXAMPLE_PAYLOADS['dataset.slice.flagged'][1]);
    const outcome = validateEnvelope(envelopeFor('dataset.slice.flagged', 9, payload));
    expect(outcome).toEqual({
      ok: false,
      problems: [{ path: 'schemaVersion', problem: expect.stringContaining('not supported') }],
    });
  });

  it.each([
    ['eventId', (e: Payload) => (e['eventId'] = '0190f1a4-8c1e-4b2a-9c3d-4e5f60718200')],
    ['type', (e: Payload) => (e['type'] = 'dataset.deleted')],
    ['recordedAt', (e: Payload) => (e['recordedAt'] = '04/11/2026')],
    ['producer.principal', (e: Payload) => delete (e['producer'] as Payload)['principal']],
    ['integrity.payloadDigest', (e: Payload) => ((e['integrity'] as Payload)['payloadDigest'] = 'sha256:xyz')],
    ['payload', (e: Payload) => (e['payload'] = 'text')],
    ['extra', (e: Payload) => (e['extra'] = true)],
  ])('refuses a bad envelope field %s', (path, mutate) => {
    const envelope = envelopeFor(
      'dataset.slice.flagged',
      1,
      clone(EXAMPLE_PAYLOADS['dataset.slice.flagged'][1]),
    ) as unknown as Payload;
    mutate(envelope);
    const outcome = validateEnvelope(envelope);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => p.path)).toContain(path);
  });

  it('reads a recorded time as it was accepted before times had to be calendar times, and refuses one never accepted', () => {
    const payload = { ...clone(EXAMPLE_PAYLOADS['training.run.started'][2]), startedAt: '2026-02-30T00:00:00Z' };
    const envelope = envelopeFor('training.run.started', 2, payload) as unknown as Payload;
    envelope['occurredAt'] = '2026-04-31T10:00:00Z';
    expect(validateEnvelope(envelope)).toEqual({ ok: true, value: expect.anything() });

    const never = { ...payload, startedAt: '2026-13-45T99:99:99Z' };
    expect(validateEnvelope(envelopeFor('training.run.started', 2, never))).toEqual({
      ok: false,
      problems: [{ path: 'payload.startedAt', problem: expect.stringContaining('ISO 8601') }],
    });
  });

  it('refuses a __proto__ key anywhere, since it would re-parent objects', () => {
    const payload = clone(EXAMPLE_PAYLOADS['training.run.started'][2]);
    const hyperparameters = JSON.parse('{"__proto__": {"polluted": true}}');
    const outcome = validateEnvelope(envelopeFor('training.run.started', 2, { ...payload, hyperparameters }));
    expect(outcome).toEqual({
      ok: false,
      problems: [{ path: 'payload.hyperparameters.__proto__', problem: 'key __proto__ is not allowed' }],
    });
  });

  it('accepts user map keys that stores dislike, such as dotted and $-prefixed ones', () => {
    const payload = clone(EXAMPLE_PAYLOADS['training.run.started'][2]);
    payload['hyperparameters'] = { 'optimizer.lr': 0.1, $where: 'x', nested: { 'a.b': [[1]] } };
    expect(validateEnvelope(envelopeFor('training.run.started', 2, payload)).ok).toBe(true);
  });

  it('returns the received object itself, so digests cover what was received', () => {
    const envelope = envelopeFor('dataset.slice.flagged', 1, clone(EXAMPLE_PAYLOADS['dataset.slice.flagged'][1]));
    const outcome = validateEnvelope(envelope);
    expect(outcome.ok && outcome.value).toBe(envelope);
  });

  it('parses an old schema version into the current one', () => {
    const v1 = clone(EXAMPLE_PAYLOADS['training.run.started'][1]);
    const outcome = parseEvent(envelopeFor('training.run.started', 1, v1));
    expect(outcome.ok).toBe(true);
    if (outcome.ok && outcome.value.type === 'training.run.started') {
      expect(outcome.value.schemaVersion).toBe(2);
      expect(outcome.value.upcastFrom).toBe(1);
      expect(outcome.value.payload.seeds).toEqual({ global: 7 });
      expect(validatePayload('training.run.started', 2, outcome.value.payload)).toEqual([]);
    }
  });
});
