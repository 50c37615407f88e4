import { digestOf, generateSubjectKey, sealValue } from '@prov/integrity';
import { churnUpstream, digest } from '@prov/testing';
import { projected } from './projected-views.test-helper';
import { traceOfPrediction } from './prediction-trace.query';
import { acceptOpenedSealedValues, openSealedValues, sealingContext, sealingKeyIds } from './sealed-values';

const MODEL = 'model:churn-classifier@3.1.0';
const KEY_ID = 'subjectkey:0190f1a4-8c1e-7b2a-9c3d-4e5f60718296';

/** A prediction about customer-4711, its output and feature snapshot sealed with the customer's key. */
async function sealedPrediction() {
  const world = churnUpstream();
  const { events, ids } = world;
  const key = generateSubjectKey();
  const output = { churn: 0.82, 'reasons.top': ['tenure'] };
  const snapshot = 'feast:churn/customer-4711';
  const deployment = events.deploymentCreated('churn-api', MODEL, '2026-11-01T00:00:00.000Z');
  const batch = events.event('prediction.batch.recorded', {
    batchId: `batch:${events.uuid()}`,
    deploymentId: 'deployment:churn-api',
    modelVersionId: MODEL,
    artifactDigest: digest('9'),
    predictions: [
      {
        predictionId: 'pred:s',
        at: '2026-11-01T06:00:00.000Z',
        inputDigest: digest('3'),
        dataSubject: 'customer-4711',
        sealedOutput: sealValue(output, key, KEY_ID, sealingContext('pred:s', 'output')),
        sealedFeatureSnapshot: sealValue(snapshot, key, KEY_ID, sealingContext('pred:s', 'featureSnapshot')),
      },
    ],
  });
  const views = await projected(
    ...world.all,
    events.modelRegistered('churn-classifier', '3.1.0', ids.run),
    deployment,
    batch,
  );
  return { views, key, output, snapshot };
}

describe('sealed values in a trace', () => {
  it('are opened for those who may read sensitive values, while the key lives', async () => {
    const { views, key, output, snapshot } = await sealedPrediction();
    const folded = await traceOfPrediction(views, 'pred:s', { level: 'full', revealSensitive: true });
    if (!folded) throw new Error('no trace');
    expect(sealingKeyIds(folded)).toEqual([KEY_ID]);
    expect(folded.prediction.output).toMatchObject({ alg: 'A256GCM', keyId: KEY_ID, digest: digestOf(output) });

    const trace = openSealedValues(folded, (keyId) => (keyId === KEY_ID ? key : undefined));
    expect(trace.prediction).toMatchObject({ output, featureSnapshot: snapshot, dataSubject: 'customer-4711' });
    expect(acceptOpenedSealedValues(folded, trace)).toEqual(trace);
  });

  it('show only the digest once the key is destroyed, marked erased; and only the digest with a wrong key', async () => {
    const { views, output, snapshot } = await sealedPrediction();
    const folded = await traceOfPrediction(views, 'pred:s', { level: 'full', revealSensitive: true });
    if (!folded) throw new Error('no trace');
    const erased = openSealedValues(folded, () => 'destroyed');
    expect(erased.prediction.output).toEqual({ redacted: true, digest: digestOf(output), erased: true });
    expect(erased.prediction.featureSnapshot).toEqual({ redacted: true, digest: digestOf(snapshot), erased: true });
    expect(acceptOpenedSealedValues(folded, erased)).toEqual(erased);

    const wrongKey = openSealedValues(folded, () => generateSubjectKey());
    expect(wrongKey.prediction.output).toEqual({ redacted: true, digest: digestOf(output) });
    expect(openSealedValues(folded, () => undefined).prediction.output).toEqual({
      redacted: true,
      digest: digestOf(output),
    });
  });

  it('are redacted to the digest of the value they seal for viewers, the data subject too', async () => {
    const { views, output, snapshot } = await sealedPrediction();
    const trace = await traceOfPrediction(views, 'pred:s', { level: 'full', revealSensitive: false });
    expect(trace?.prediction).toMatchObject({
      output: { redacted: true, digest: digestOf(output) },
      featureSnapshot: { redacted: true, digest: digestOf(snapshot) },
      dataSubject: { redacted: true, digest: digestOf('customer-4711') },
    });
  });

  it('are not taken as opened when the shown value is another one', async () => {
    const { views } = await sealedPrediction();
    const folded = await traceOfPrediction(views, 'pred:s', { level: 'full', revealSensitive: true });
    if (!folded) throw new Error('no trace');
    const forged = { ...folded, prediction: { ...folded.prediction, output: { churn: 0.1 } } };
    expect(acceptOpenedSealedValues(folded, forged).prediction.output).toEqual(folded.prediction.output);
    const wrongDigest = {
      ...folded,
      prediction: { ...folded.prediction, output: { redacted: true, digest: digest('0') } },
    };
    expect(acceptOpenedSealedValues(folded, wrongDigest).prediction.output).toEqual(folded.prediction.output);
  });
});
