import { digestOf } from '@prov/integrity';
import { contentDifferences, requestedContent } from './prediction-content';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const batch = { deploymentId: 'deployment:churn-api', modelVersionId: 'model:churn@3', artifactDigest: digest('9') };

describe('the content of a prediction', () => {
  it('names an output in the clear by the digest of its value', () => {
    expect(requestedContent(batch, { inputDigest: digest('3'), output: { score: 0.7 } })).toEqual({
      ...batch,
      inputDigest: digest('3'),
      rawOutputDigest: digestOf({ score: 0.7 }),
    });
  });

  it('names a sealed output by the digest of its value, and as its output digest when none was sent', () => {
    const sealed = { inputDigest: digest('3'), output: { score: 0.7 }, dataSubject: 'alice' };
    expect(requestedContent(batch, sealed)).toEqual({
      ...batch,
      inputDigest: digest('3'),
      outputDigest: digestOf({ score: 0.7 }),
      sealedOutputDigest: digestOf({ score: 0.7 }),
    });
    expect(requestedContent(batch, { ...sealed, outputDigest: digest('4') }).outputDigest).toBe(digest('4'));
  });

  it('is the same whatever the output key order, and whether the output was sealed or not', () => {
    const clear = requestedContent(batch, {
      inputDigest: digest('3'),
      outputDigest: digest('4'),
      output: { a: 1, b: 2 },
    });
    const sealed = requestedContent(batch, {
      inputDigest: digest('3'),
      outputDigest: digest('4'),
      output: { b: 2, a: 1 },
      dataSubject: 'alice',
    });
    expect(contentDifferences(clear, sealed)).toEqual([]);
  });

  it('differs in each field whose values differ, or that one has and the other has not', () => {
    const earlier = requestedContent(batch, { inputDigest: digest('3'), outputDigest: digest('4'), output: 1 });
    const later = requestedContent(
      { ...batch, modelVersionId: 'model:churn@4' },
      { inputDigest: digest('5'), output: 2 },
    );
    expect(contentDifferences(earlier, later)).toEqual(['modelVersionId', 'inputDigest', 'outputDigest', 'output']);
    expect(contentDifferences(later, requestedContent(batch, { inputDigest: digest('5') }))).toEqual([
      'modelVersionId',
      'output',
    ]);
  });
});
