import { PredictionBatchRecordedV1 } from '../events/prediction.events';
import { EXAMPLE_PAYLOADS } from '../examples/example-events';
import { validatePayload } from '../validate-event';
import { compileClassValidator } from './schema-validator';

const example = () =>
  structuredClone(EXAMPLE_PAYLOADS['prediction.batch.recorded'][1]) as Record<string, unknown> & {
    predictions: Record<string, unknown>[];
  };

describe('compiled class validators', () => {
  const validate = compileClassValidator(PredictionBatchRecordedV1, 'payload');

  it('accepts what class-validator accepts', () => {
    expect(validate(example())).toEqual([]);
    expect(validatePayload('prediction.batch.recorded', 1, example())).toEqual([]);
  });

  it.each([
    [
      'a missing input digest',
      (p: ReturnType<typeof example>) => delete p.predictions[1]['inputDigest'],
      'payload.predictions[1].inputDigest',
    ],
    [
      'a malformed time',
      (p: ReturnType<typeof example>) => (p.predictions[0]['at'] = 'noon'),
      'payload.predictions[0].at',
    ],
    [
      'an unknown field',
      (p: ReturnType<typeof example>) => (p.predictions[0]['$where'] = 1),
      'payload.predictions[0].$where',
    ],
    ['a wrong type', (p: ReturnType<typeof example>) => (p['deploymentId'] = 7), 'payload.deploymentId'],
    [
      'a lone surrogate in an output',
      (p: ReturnType<typeof example>) => (p.predictions[1]['output'] = '\ud800'),
      'payload.predictions[1].output',
    ],
  ])('refuses %s with the same path as class-validator', (_name, mutate, path) => {
    const payload = example();
    mutate(payload);
    expect(validate(payload).map((p) => p.path)).toContain(path);
    expect(validatePayload('prediction.batch.recorded', 1, payload).map((p) => p.path)).toContain(path);
  });

  it('checks every record of a batch of 10,000 predictions', () => {
    const payload = example();
    payload.predictions = Array.from({ length: 10_000 }, (_, i) => ({
      ...payload.predictions[0],
      predictionId: `pred:r${i}`,
    }));
    expect(validate(payload)).toEqual([]);
    payload.predictions[9_999]['at'] = '2026-13-45';
    const problems = validate(payload);
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(problems.map((p) => p.path))).toEqual(new Set(['payload.predictions[9999].at']));
  });
});
