import type { EventEnvelope } from '../envelope/event-envelope';
import type { EventType } from '../catalog/event-catalog';

/**
 * One realistic, valid payload for every event type and schema version:
 * documentation for producers, and the fixtures of the contract tests.
 */
const hex = (c: string) => c.repeat(64);
const DSV = `dsv:sha256:${hex('a')}`;
const SLICE = `slice:sha256:${hex('b')}`;
const RUN = 'run:0190f1a4-8c1e-7b2a-9c3d-4e5f60718293';
const MODEL = 'model:churn-classifier@3.1.0';

/** The two shapes of a recorded prediction: digest only, and with its output and feature snapshot. */
const BATCH_V1_PREDICTIONS = [
  {
    predictionId: 'pred:req-000001',
    at: '2026-11-04T12:00:00.123Z',
    inputDigest: `sha256:${hex('3')}`,
    outputDigest: `sha256:${hex('4')}`,
  },
  {
    predictionId: 'pred:req-000002',
    at: '2026-11-04T12:00:00.456Z',
    inputDigest: `sha256:${hex('5')}`,
    output: { churn: 0.82 },
    featureSnapshot: 'feast:churn/2026-11-04T12:00:00Z',
  },
];

export const EXAMPLE_PAYLOADS: { readonly [T in EventType]: Readonly<Record<number, Record<string, unknown>>> } = {
  'dataset.registered': {
    1: {
      datasetId: 'dataset:crm/customer-events',
      namespace: 'crm',
      name: 'customer-events',
      owner: 'data-platform@example.com',
      description: 'Customer interaction events from the CRM',
      classification: 'confidential',
    },
  },
  'dataset.version.registered': {
    1: {
      datasetVersionId: DSV,
      datasetId: 'dataset:crm/customer-events',
      parts: [
        { path: 'part-0000.parquet', sizeBytes: 1048576, sha256: hex('1') },
        { path: 'part-0001.parquet', sizeBytes: 524288, sha256: hex('2') },
      ],
      rowCount: 120000,
      source: 's3://lake/crm/customer-events/2026-11-01/',
      tags: { snapshot: '2026-11-01' },
    },
  },
  'dataset.slice.defined': {
    1: {
      sliceId: SLICE,
      datasetVersionId: DSV,
      criteria: {
        timeRange: { from: '2026-01-01T00:00:00Z', to: '2026-07-01T00:00:00Z' },
        source: 'web',
        sampling: { fraction: 0.8, seed: 42 },
        filter: { country: { in: ['DE', 'FR'] } },
      },
      labels: { purpose: 'training' },
      contentDigest: `sha256:${hex('c')}`,
      rowCount: 96000,
    },
  },
  'dataset.slice.flagged': {
    1: { sliceId: SLICE, reason: 'Labels of the web source were shifted by one day', severity: 'high' },
  },
  'pipeline.registered': {
    1: {
      pipelineId: 'pipeline:churn-features@2.0.1',
      name: 'churn-features',
      version: '2.0.1',
      codeDigest: 'git:4f2ac1d9e8b7',
      steps: [
        { name: 'impute', transform: 'sklearn.impute.SimpleImputer', params: { strategy: 'median' } },
        { name: 'scale', transform: 'sklearn.preprocessing.StandardScaler' },
      ],
      features: [{ name: 'tenure_months', transform: 'months_between', sourceColumns: ['signup_at', 'event_at'] }],
    },
  },
  'training.run.started': {
    1: {
      runId: RUN,
      pipelineId: 'pipeline:churn-features@2.0.1',
      inputs: [{ sliceId: SLICE, role: 'train', samplingFraction: 0.5 }],
      hyperparameters: { 'optimizer.lr': 0.001, $scale: 2, layers: [[64, 32], [16]] },
      seed: 7,
      codeCommit: '4f2ac1d9e8b7',
      environment: { imageDigest: `sha256:${hex('d')}` },
      startedAt: '2026-11-02T08:00:00Z',
    },
    2: {
      runId: RUN,
      pipelineId: 'pipeline:churn-features@2.0.1',
      inputs: [
        { sliceId: SLICE, role: 'train', samplingFraction: 0.5 },
        { sliceId: `slice:sha256:${hex('e')}`, role: 'validation' },
      ],
      hyperparameters: { 'optimizer.lr': 0.001, $scale: 2, layers: [[64, 32], [16]] },
      seeds: { python: 7, numpy: 7, torch: 1234 },
      codeCommit: '4f2ac1d9e8b7',
      environment: {
        imageDigest: `sha256:${hex('d')}`,
        libraries: { torch: '2.5.1', 'scikit-learn': '1.6.0' },
        platform: { gpu: 'A100' },
      },
      startedAt: '2026-11-02T08:00:00Z',
      owner: 'alice',
    },
  },
  'training.run.completed': {
    1: { runId: RUN, status: 'succeeded', endedAt: '2026-11-02T09:30:00Z', metrics: { auc: 0.91, 'loss.final': 0.23 } },
    2: {
      runId: RUN,
      status: 'succeeded',
      endedAt: '2026-11-02T09:30:00Z',
      metrics: { auc: 0.91, 'loss.final': 0.23 },
      seeds: { dataloader: 90210 },
    },
  },
  'evaluation.recorded': {
    1: {
      evaluationId: 'eval:0190f1a4-8c1e-7b2a-9c3d-4e5f60718294',
      modelVersionId: MODEL,
      sliceId: `slice:sha256:${hex('f')}`,
      metrics: { auc: 0.89 },
    },
  },
  'model.version.registered': {
    1: {
      modelVersionId: MODEL,
      name: 'churn-classifier',
      version: '3.1.0',
      runId: RUN,
      artifact: {
        uri: 's3://models/churn-classifier/3.1.0/',
        digest: `sha256:${hex('9')}`,
        parts: [{ path: 'model.onnx', sizeBytes: 2048, sha256: hex('8') }],
      },
    },
  },
  'model.stage.changed': { 1: { modelVersionId: MODEL, stage: 'staging', approvedBy: 'bob' } },
  'model.promoted': {
    1: { modelVersionId: MODEL, stage: 'production', policyDigest: `sha256:${hex('7')}`, approvedBy: 'bob' },
  },
  'model.promotion.rejected': {
    1: {
      modelVersionId: MODEL,
      stage: 'production',
      policyDigest: `sha256:${hex('7')}`,
      failures: [{ requirement: 'lineage.seeds', problem: 'the run recorded no seeds' }],
    },
  },
  'model.version.revoked': { 1: { modelVersionId: MODEL, reason: 'Trained on a flagged slice' } },
  'deployment.created': {
    1: {
      deploymentId: 'deployment:churn-api',
      name: 'churn-api',
      modelVersionId: MODEL,
      endpoint: 'https://churn.internal.example.com/v1/predict',
      policy: { captureLevel: 'full', policyId: 'churn-prod', policyDigest: `sha256:${hex('7')}` },
      effectiveFrom: '2026-11-03T10:00:00Z',
    },
  },
  'deployment.revised': {
    1: {
      deploymentId: 'deployment:churn-api',
      modelVersionId: 'model:churn-classifier@3.2.0',
      effectiveFrom: '2026-11-10T10:00:00Z',
    },
  },
  'prediction.batch.recorded': {
    1: {
      batchId: 'batch:0190f1a4-8c1e-7b2a-9c3d-4e5f60718295',
      deploymentId: 'deployment:churn-api',
      modelVersionId: MODEL,
      artifactDigest: `sha256:${hex('9')}`,
      predictions: BATCH_V1_PREDICTIONS,
    },
    2: {
      batchId: 'batch:0190f1a4-8c1e-7b2a-9c3d-4e5f60718295',
      deploymentId: 'deployment:churn-api',
      modelVersionId: MODEL,
      artifactDigest: `sha256:${hex('9')}`,
      predictions: [
        ...BATCH_V1_PREDICTIONS,
        {
          predictionId: 'pred:req-000003',
          at: '2026-11-04T12:00:00.789Z',
          inputDigest: `sha256:${hex('7')}`,
          outputDigest: `sha256:${hex('6')}`,
          dataSubject: 'customer-4711',
          sealedOutput: {
            alg: 'A256GCM',
            keyId: 'subjectkey:0190f1a4-8c1e-7b2a-9c3d-4e5f60718296',
            nonce: 'AAECAwQFBgcICQoL',
            ciphertext: 'c2VhbGVkIGJ5IHRoZSBzdWJqZWN0IGtleQ==',
            digest: `sha256:${hex('6')}`,
          },
        },
      ],
    },
  },
  'privacy.subject.erased': {
    1: {
      dataSubject: 'customer-4711',
      keyIds: ['subjectkey:0190f1a4-8c1e-7b2a-9c3d-4e5f60718296'],
      reason: 'erasure request 2026-118',
    },
  },
  'deadletter.message.rejected': {
    1: {
      deadLetterId: 'deadletter:provenance.inference.v1/3/1042',
      source: {
        topic: 'provenance.inference.v1',
        partition: 3,
        offset: '1042',
        key: 'batch:0190f1a4-8c1e-7b2a-9c3d-4e5f60718295',
      },
      reason: 'payload-digest-mismatch',
      problems: [{ path: 'integrity.payloadDigest', problem: 'does not match the payload' }],
      rawBase64: 'eyJicm9rZW4iOnRydWV9',
      rejectedBy: 'projector',
    },
    2: {
      deadLetterId: 'deadletter:provenance.training.v1/0/77',
      source: { topic: 'provenance.training.v1', partition: 0, offset: '77', key: `run:sha256:${hex('5')}` },
      reason: 'conflicting-event',
      problems: [{ path: 'eventId', problem: 'the event was accepted before with other content' }],
      rawBase64: 'eyJldmVudElkIjoiLi4uIn0=',
      rejectedBy: 'projector',
    },
  },
  'audit.checkpoint.signed': {
    1: {
      logId: 'auditlog:main',
      treeSize: 1024,
      rootHash: hex('6'),
      signedAt: '2026-11-04T12:05:00Z',
      keyId: 'ed25519:0123456789abcdef',
      signature: 'A'.repeat(86),
    },
  },
  'openlineage.run-event.received': {
    1: {
      eventKey: `olevent:sha256:${hex('7')}`,
      eventType: 'COMPLETE',
      eventTime: '2026-11-04T11:59:58.120Z',
      producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      runId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718296',
      job: {
        namespace: 'airflow',
        name: 'churn.prepare_features',
        jobType: 'BATCH/AIRFLOW/TASK',
        codeLocation: { type: 'git', url: 'https://git.example.com/churn', version: '4f2ac1d' },
      },
      parent: { runId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718297', job: { namespace: 'airflow', name: 'churn' } },
      inputs: [
        {
          namespace: 'crm',
          name: 'customer-events',
          datasetId: 'dataset:crm/customer-events',
          resolution: 'registered',
          version: DSV,
          datasetVersionId: DSV,
          sliceId: SLICE,
          schemaFields: ['customer_id', 'event_type'],
        },
        {
          namespace: 'postgres://db.example.com:5432',
          name: 'public.orders',
          datasetId: 'dataset:postgres-db.example.com-5432-3b9f1c2a/public.orders',
          resolution: 'unversioned',
          dataSource: 'postgres://db.example.com:5432',
        },
      ],
      outputs: [
        {
          namespace: 's3://lake',
          name: 'features/churn',
          datasetId: 'dataset:s3-lake-0a1b2c3d/features-churn-4e5f6a7b',
          resolution: 'external',
          version: '2026-11-04',
        },
      ],
      completeness: {
        complete: false,
        missing: ['inputs[1]: postgres://db.example.com:5432/public.orders has no datasetVersion facet'],
      },
      event: { eventType: 'COMPLETE', eventTime: '2026-11-04T11:59:58.120Z' },
    },
  },
};

/** Wraps a payload in a well-formed envelope (the digest is a placeholder; libs/integrity computes real ones). */
export function exampleEnvelope<T extends EventType>(
  type: T,
  schemaVersion: number,
  payload: Record<string, unknown>,
  subject: string,
): EventEnvelope<T, Record<string, unknown>> {
  return {
    eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718200',
    type,
    schemaVersion,
    subject,
    occurredAt: '2026-11-04T12:00:01Z',
    recordedAt: '2026-11-04T12:00:01.250Z',
    producer: { service: 'training-service', principal: 'alice' },
    payload,
    integrity: { payloadDigest: `sha256:${hex('0')}` },
  };
}
