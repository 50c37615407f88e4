import { canonicalJson, generateSigningKeyPair, parseDigest } from '@prov/integrity';
import { servedChurnPrediction } from '../served-churn-prediction.test-helper';

const MODEL = 'model:churn-classifier@3.1.0';
import { preAuthEncoding, verifyDsse } from './dsse';
import {
  IN_TOTO_PAYLOAD_TYPE,
  MODEL_LINEAGE_PREDICATE_TYPE,
  attestModelLineage,
  modelLineageStatement,
} from './model-lineage.statement';

describe('in-toto attestation of a model version', () => {
  it('states the artifact digest as its subject and the lineage as its predicate', async () => {
    const { lineage, ids } = await servedChurnPrediction();
    const statement = modelLineageStatement(lineage);
    expect(statement).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: MODEL, digest: { sha256: parseDigest(lineage.modelVersion.artifact.digest).hex } }],
      predicateType: MODEL_LINEAGE_PREDICATE_TYPE,
    });
    const { predicate } = statement;
    expect(predicate.run).toMatchObject({
      id: ids.run,
      inputs: [
        { sliceId: ids.trainSlice, role: 'train', samplingFraction: 0.5 },
        { sliceId: ids.validationSlice, role: 'validation', samplingFraction: null },
      ],
    });
    expect(predicate.pipeline?.id).toBe(ids.pipeline);
    expect(predicate.dataSlices.map((s) => [s.id, `slice:sha256:${s.digest.sha256}`])).toEqual(
      [
        [ids.trainSlice, ids.trainSlice],
        [ids.validationSlice, ids.validationSlice],
      ].sort(),
    );
    expect(predicate.datasetVersions).toEqual([
      expect.objectContaining({ id: ids.version, digest: { sha256: ids.version.slice('dsv:sha256:'.length) } }),
    ]);
    expect(predicate.events.map((e) => e.link)).toEqual(
      expect.arrayContaining(['modelVersion', 'run', 'run.completion', 'pipeline', `datasetVersions[${ids.version}]`]),
    );
    // Sensitive values stay out: the statement is the same whoever asks.
    expect(JSON.stringify(statement)).not.toContain('"filter"');
    expect(JSON.stringify(statement)).not.toContain('"owner":"data');
  });

  it('is a DSSE envelope whose Ed25519 signature covers the PAE of the canonical statement', async () => {
    const { lineage } = await servedChurnPrediction();
    const keys = generateSigningKeyPair();
    const envelope = attestModelLineage(lineage, keys.privateKey, keys.keyId);
    expect(envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(envelope.signatures).toEqual([{ keyid: keys.keyId, sig: expect.any(String) }]);
    const payload = verifyDsse(envelope, keys.publicKey, keys.keyId);
    expect(payload?.toString('utf8')).toBe(canonicalJson(modelLineageStatement(lineage)));
    // Another key, another key id, or a changed payload do not verify.
    expect(verifyDsse(envelope, generateSigningKeyPair().publicKey, keys.keyId)).toBeUndefined();
    expect(verifyDsse(envelope, keys.publicKey, 'ed25519:0000000000000000')).toBeUndefined();
    const tampered = {
      ...envelope,
      payload: Buffer.from(String(payload).replace('train', 'test')).toString('base64'),
    };
    expect(verifyDsse(tampered, keys.publicKey, keys.keyId)).toBeUndefined();
    expect(verifyDsse({ ...envelope, payloadType: 'application/json' }, keys.publicKey, keys.keyId)).toBeUndefined();
  });

  it('encodes the PAE as DSSE v1 specifies', () => {
    // The example of the DSSE protocol document.
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });
});
