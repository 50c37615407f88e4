import { EXAMPLE_PAYLOADS, exampleEnvelope } from '../examples/example-events';
import { MissingUpcasterError, UpcasterRegistry } from './upcaster-registry';
import { upcasters } from './upcasters';

const RUN = EXAMPLE_PAYLOADS['training.run.started'][1]['runId'] as string;

describe('upcasting', () => {
  it('every accepted old schema version has a path to the current one', () => {
    expect(upcasters.missingSteps()).toEqual([]);
  });

  it('upcasts training.run.started v1 to v2: the single seed becomes seeds.global', () => {
    const v1 = exampleEnvelope(
      'training.run.started',
      1,
      structuredClone(EXAMPLE_PAYLOADS['training.run.started'][1]),
      RUN,
    );
    const current = upcasters.upcast(v1);
    expect(current.schemaVersion).toBe(2);
    expect(current.upcastFrom).toBe(1);
    expect(current.payload).toEqual({
      ...EXAMPLE_PAYLOADS['training.run.started'][1],
      seed: undefined,
      seeds: { global: 7 },
    });
    expect('seed' in current.payload).toBe(false);
  });

  it('upcasts training.run.completed v1 to v2 with no seeds reported', () => {
    const payload = EXAMPLE_PAYLOADS['training.run.completed'][1];
    const current = upcasters.upcast(exampleEnvelope('training.run.completed', 1, structuredClone(payload), RUN));
    expect(current.schemaVersion).toBe(2);
    expect(current.payload).toEqual(payload);
    expect('seeds' in current.payload).toBe(false);
  });

  it('leaves the published event untouched (its digest covers the published payload)', () => {
    const v1 = exampleEnvelope(
      'training.run.started',
      1,
      structuredClone(EXAMPLE_PAYLOADS['training.run.started'][1]),
      RUN,
    );
    const before = structuredClone(v1);
    upcasters.upcast(v1);
    expect(v1).toEqual(before);
  });

  it('returns current-version events as they are', () => {
    const v2 = exampleEnvelope(
      'training.run.started',
      2,
      structuredClone(EXAMPLE_PAYLOADS['training.run.started'][2]),
      RUN,
    );
    expect(upcasters.upcast(v2)).toBe(v2);
  });

  it('fails with a typed, non-retriable error when a step is missing', () => {
    const v1 = exampleEnvelope(
      'training.run.started',
      1,
      structuredClone(EXAMPLE_PAYLOADS['training.run.started'][1]),
      RUN,
    );
    const empty = new UpcasterRegistry();
    expect(empty.missingSteps()).toContainEqual({ type: 'training.run.started', fromVersion: 1 });
    expect(() => empty.upcast(v1)).toThrow(MissingUpcasterError);
  });

  it('refuses to register two upcasters for the same step', () => {
    const step = { type: 'training.run.started' as const, fromVersion: 1, upcast: (p: Record<string, unknown>) => p };
    expect(() => new UpcasterRegistry().register(step).register(step)).toThrow(/registered twice/);
  });
});
