import { digestOf } from '@prov/integrity';
import { redactSensitive } from './redaction';

describe('redactSensitive', () => {
  it('replaces the values at the event type sensitive paths by the digest of their canonical JSON', () => {
    const slice = { sliceId: 's', criteria: { source: 'web', filter: { country: { in: ['DE'] } } } };

    const redacted = redactSensitive('dataset.slice.defined', slice);

    expect(redacted).toEqual({
      sliceId: 's',
      criteria: { source: 'web', filter: { redacted: true, digest: digestOf({ country: { in: ['DE'] } }) } },
    });
    expect(slice.criteria.filter).toEqual({ country: { in: ['DE'] } });
  });

  it('applies the paths under an array of the payload to one of its elements, and leaves absent values absent', () => {
    const prediction = { id: 'pred:1', output: 0.4 };

    expect(redactSensitive('prediction.batch.recorded', prediction, 'predictions')).toEqual({
      id: 'pred:1',
      output: { redacted: true, digest: digestOf(0.4) },
    });
  });
});
