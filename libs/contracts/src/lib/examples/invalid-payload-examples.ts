import type { EventType } from '../catalog/event-catalog';

type Payload = Record<string, unknown>;

export interface InvalidCase {
  name: string;
  mutate: (payload: Payload) => void;
  /** The path the first problem must name. */
  path: string;
}

/**
 * Invalid variants of every event type's example payload (examples/example-events.ts),
 * each with the path its first validation problem must name.
 */
export const INVALID_PAYLOAD_EXAMPLES: { [T in EventType]: InvalidCase[] } = {
  'dataset.registered': [
    { name: 'namespace with a slash', mutate: (p) => (p['namespace'] = 'crm/eu'), path: 'payload.namespace' },
    { name: 'missing owner', mutate: (p) => delete p['owner'], path: 'payload.owner' },
    { name: 'unknown classification', mutate: (p) => (p['classification'] = 'secret'), path: 'payload.classification' },
  ],
  'dataset.version.registered': [
    {
      name: 'part with a short sha256',
      mutate: (p) => ((p['parts'] as Payload[])[1]['sha256'] = 'abc'),
      path: 'payload.parts[1].sha256',
    },
    {
      name: 'negative part size',
      mutate: (p) => ((p['parts'] as Payload[])[0]['sizeBytes'] = -1),
      path: 'payload.parts[0].sizeBytes',
    },
    { name: 'no parts', mutate: (p) => (p['parts'] = []), path: 'payload.parts' },
    {
      name: 'malformed version id',
      mutate: (p) => (p['datasetVersionId'] = 'dsv:abc'),
      path: 'payload.datasetVersionId',
    },
  ],
  'dataset.slice.defined': [
    {
      name: 'sampling fraction above 1',
      mutate: (p) => (((p['criteria'] as Payload)['sampling'] as Payload)['fraction'] = 1.5),
      path: 'payload.criteria.sampling.fraction',
    },
    {
      name: 'time range without time zone',
      mutate: (p) => (((p['criteria'] as Payload)['timeRange'] as Payload)['to'] = '2026-07-01T00:00:00'),
      path: 'payload.criteria.timeRange.to',
    },
    { name: 'criteria as an array', mutate: (p) => (p['criteria'] = []), path: 'payload.criteria' },
    { name: 'numeric label', mutate: (p) => (p['labels'] = { purpose: 3 }), path: 'payload.labels' },
  ],
  'dataset.slice.flagged': [
    { name: 'unknown severity', mutate: (p) => (p['severity'] = 'urgent'), path: 'payload.severity' },
    { name: 'empty reason', mutate: (p) => (p['reason'] = ''), path: 'payload.reason' },
  ],
  'pipeline.registered': [
    {
      name: 'step without transform',
      mutate: (p) => delete (p['steps'] as Payload[])[1]['transform'],
      path: 'payload.steps[1].transform',
    },
    {
      name: 'code digest without scheme',
      mutate: (p) => (p['codeDigest'] = '4f2ac1d9e8b7'),
      path: 'payload.codeDigest',
    },
    {
      name: 'feature source columns not strings',
      mutate: (p) => ((p['features'] as Payload[])[0]['sourceColumns'] = [1]),
      path: 'payload.features[0].sourceColumns',
    },
  ],
  'training.run.started': [
    {
      name: 'input with an unknown role',
      mutate: (p) => ((p['inputs'] as Payload[])[0]['role'] = 'holdout'),
      path: 'payload.inputs[0].role',
    },
    {
      name: 'hyperparameters as an array',
      mutate: (p) => (p['hyperparameters'] = [1, 2]),
      path: 'payload.hyperparameters',
    },
    { name: 'fractional seed', mutate: (p) => (p['seeds'] = { torch: 1.5 }), path: 'payload.seeds' },
    { name: 'v1 field in v2', mutate: (p) => (p['seed'] = 7), path: 'payload.seed' },
    {
      name: 'environment with an unknown field',
      mutate: (p) => ((p['environment'] as Payload)['gpu'] = 'A100'),
      path: 'payload.environment.gpu',
    },
  ],
  'training.run.completed': [
    { name: 'unknown status', mutate: (p) => (p['status'] = 'done'), path: 'payload.status' },
    { name: 'non-numeric metric', mutate: (p) => (p['metrics'] = { auc: 'high' }), path: 'payload.metrics' },
    { name: 'end time not a date', mutate: (p) => (p['endedAt'] = 'yesterday'), path: 'payload.endedAt' },
    { name: 'seed not an integer', mutate: (p) => (p['seeds'] = { dataloader: '7' }), path: 'payload.seeds' },
  ],
  'evaluation.recorded': [
    {
      name: 'slice id of another kind',
      mutate: (p) => (p['sliceId'] = 'dsv:sha256:' + 'a'.repeat(64)),
      path: 'payload.sliceId',
    },
    { name: 'missing metrics', mutate: (p) => delete p['metrics'], path: 'payload.metrics' },
  ],
  'model.version.registered': [
    {
      name: 'artifact digest not sha256',
      mutate: (p) => ((p['artifact'] as Payload)['digest'] = 'md5:abc'),
      path: 'payload.artifact.digest',
    },
    {
      name: 'artifact uri without scheme',
      mutate: (p) => ((p['artifact'] as Payload)['uri'] = 'models/churn'),
      path: 'payload.artifact.uri',
    },
    { name: 'run id not a uuid', mutate: (p) => (p['runId'] = 'run:42'), path: 'payload.runId' },
  ],
  'model.stage.changed': [
    { name: 'unknown stage', mutate: (p) => (p['stage'] = 'canary'), path: 'payload.stage' },
    { name: 'approver not a string', mutate: (p) => (p['approvedBy'] = 42), path: 'payload.approvedBy' },
  ],
  'model.promoted': [
    { name: 'promotion to archived', mutate: (p) => (p['stage'] = 'archived'), path: 'payload.stage' },
    { name: 'missing policy digest', mutate: (p) => delete p['policyDigest'], path: 'payload.policyDigest' },
  ],
  'model.promotion.rejected': [
    { name: 'no failures', mutate: (p) => (p['failures'] = []), path: 'payload.failures' },
    {
      name: 'failure without problem',
      mutate: (p) => delete (p['failures'] as Payload[])[0]['problem'],
      path: 'payload.failures[0].problem',
    },
  ],
  'model.version.revoked': [
    { name: 'missing reason', mutate: (p) => delete p['reason'], path: 'payload.reason' },
    {
      name: 'model id without version',
      mutate: (p) => (p['modelVersionId'] = 'model:churn-classifier'),
      path: 'payload.modelVersionId',
    },
  ],
  'deployment.created': [
    {
      name: 'unknown capture level',
      mutate: (p) => ((p['policy'] as Payload)['captureLevel'] = 'minimal'),
      path: 'payload.policy.captureLevel',
    },
    { name: 'missing endpoint', mutate: (p) => delete p['endpoint'], path: 'payload.endpoint' },
    { name: 'name with spaces', mutate: (p) => (p['name'] = 'churn api'), path: 'payload.name' },
  ],
  'deployment.revised': [
    { name: 'missing model version', mutate: (p) => delete p['modelVersionId'], path: 'payload.modelVersionId' },
    {
      name: 'effective time not a date',
      mutate: (p) => (p['effectiveFrom'] = 1700000000),
      path: 'payload.effectiveFrom',
    },
  ],
  'prediction.batch.recorded': [
    {
      name: 'prediction without input digest',
      mutate: (p) => delete (p['predictions'] as Payload[])[1]['inputDigest'],
      path: 'payload.predictions[1].inputDigest',
    },
    {
      name: 'prediction id without prefix',
      mutate: (p) => ((p['predictions'] as Payload[])[0]['predictionId'] = 'req-000001'),
      path: 'payload.predictions[0].predictionId',
    },
    { name: 'empty batch', mutate: (p) => (p['predictions'] = []), path: 'payload.predictions' },
    {
      name: 'output with NaN',
      mutate: (p) => ((p['predictions'] as Payload[])[1]['output'] = { churn: NaN }),
      path: 'payload.predictions[1].output.churn',
    },
    {
      name: 'sealed output of another algorithm',
      mutate: (p) => (((p['predictions'] as Payload[])[2]['sealedOutput'] as Payload)['alg'] = 'none'),
      path: 'payload.predictions[2].sealedOutput.alg',
    },
    {
      name: 'data subject with a path in it',
      mutate: (p) => ((p['predictions'] as Payload[])[2]['dataSubject'] = '../customers/4711'),
      path: 'payload.predictions[2].dataSubject',
    },
  ],
  'privacy.subject.erased': [
    { name: 'key id of another kind', mutate: (p) => (p['keyIds'] = ['key:1']), path: 'payload.keyIds' },
    { name: 'missing data subject', mutate: (p) => delete p['dataSubject'], path: 'payload.dataSubject' },
  ],
  'deadletter.message.rejected': [
    { name: 'unknown reason', mutate: (p) => (p['reason'] = 'because'), path: 'payload.reason' },
    {
      name: 'offset as a number',
      mutate: (p) => ((p['source'] as Payload)['offset'] = 1042),
      path: 'payload.source.offset',
    },
    { name: 'raw bytes not base64', mutate: (p) => (p['rawBase64'] = '%%%'), path: 'payload.rawBase64' },
  ],
  'audit.checkpoint.signed': [
    { name: 'root hash with uppercase hex', mutate: (p) => (p['rootHash'] = 'A'.repeat(64)), path: 'payload.rootHash' },
    { name: 'negative tree size', mutate: (p) => (p['treeSize'] = -1), path: 'payload.treeSize' },
    { name: 'short signature', mutate: (p) => (p['signature'] = 'abc'), path: 'payload.signature' },
  ],
  'openlineage.run-event.received': [
    {
      name: 'event key of another kind',
      mutate: (p) => (p['eventKey'] = `dsv:sha256:${'7'.repeat(64)}`),
      path: 'payload.eventKey',
    },
    { name: 'unknown run state', mutate: (p) => (p['eventType'] = 'DONE'), path: 'payload.eventType' },
    {
      name: 'unknown version resolution',
      mutate: (p) => ((p['inputs'] as Payload[])[0]['resolution'] = 'latest'),
      path: 'payload.inputs[0].resolution',
    },
  ],
};
