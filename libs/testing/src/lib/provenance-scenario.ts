import { CurrentPayloads, EventOf, EventType, EVENT_CATALOG, TopicName } from '@prov/contracts';
import { dataSliceId, datasetVersionId, generateSigningKeyPair, sha256Hex, SigningKeyPair } from '@prov/integrity';
import { sealEvent } from '@prov/publishing';
import { v7 as uuidv7 } from 'uuid';

export interface ScenarioOptions {
  datasets?: number;
  slicesPerDataset?: number;
  runs?: number;
  modelVersions?: number;
  deployments?: number;
  predictions?: number;
  predictionsPerBatch?: number;
  /**
   * Every this many prediction ids of a batch is sent again right after it
   * (0: none), as a client's retry, a replayed job or another producer would:
   * in turn with the same content, with another output, and through another
   * deployment (the last two contradict the first record).
   */
  resendEvery?: number;
  /** recordedAt of the first event; each next one is a millisecond later. */
  start?: Date;
}

export type ScenarioService = 'training-service' | 'registry-service' | 'inference-service';

export interface ScenarioMessage {
  topic: TopicName;
  key: string;
  value: Buffer;
  event?: EventOf<EventType>;
}

/** A realistic, consistent provenance history, as signed events in publish order. */
export interface ProvenanceScenario {
  messages: ScenarioMessage[];
  signers: Record<ScenarioService, SigningKeyPair>;
  sliceIds: string[];
  modelVersionIds: string[];
  deploymentIds: string[];
  /** Distinct prediction ids: what every count must come to, however many were sent again. */
  predictionCount: number;
  /** Prediction ids sent again (each once more), and those of them whose second record contradicts the first. */
  resentIds: string[];
  conflictingIds: string[];
  /** A slice flagged before the predictions, and one flagged after most of them. */
  earlyFlag: { sliceId: string; recordedAt: string };
  lateFlag: { sliceId: string; recordedAt: string };
  /** A time between the two flags. */
  betweenFlags: string;
  /** Messages that are not events at all (they must end up as dead letters). */
  poisonCount: number;
}

const SERVICE_OF: Record<string, ScenarioService> = {
  data: 'training-service',
  model: 'training-service',
  inference: 'inference-service',
};

/**
 * Builds a scenario of datasets, versions, slices (with labels and criteria
 * whose keys stores dislike), pipelines, runs (hyperparameters such as
 * `optimizer.lr` and `$scale`, nested arrays), model versions, evaluations,
 * deployments with revisions, a revocation, two slice flags and prediction
 * batches, every event sealed and signed as its producer would.
 */
export function buildProvenanceScenario(options: ScenarioOptions = {}): ProvenanceScenario {
  const o = {
    datasets: 5,
    slicesPerDataset: 8,
    runs: 20,
    modelVersions: 30,
    deployments: 6,
    predictions: 200_000,
    predictionsPerBatch: 1000,
    resendEvery: 0,
    start: new Date('2026-11-01T00:00:00.000Z'),
    ...options,
  };
  const signers: Record<ScenarioService, SigningKeyPair> = {
    'training-service': generateSigningKeyPair(),
    'registry-service': generateSigningKeyPair(),
    'inference-service': generateSigningKeyPair(),
  };
  const messages: ScenarioMessage[] = [];
  let clock = o.start.getTime();
  const emit = <T extends EventType>(type: T, payload: CurrentPayloads[T]): EventOf<T> => {
    const definition = EVENT_CATALOG[type];
    const service =
      type.startsWith('model.') || type.startsWith('deployment.') ? 'registry-service' : SERVICE_OF[definition.domain];
    const signer = signers[service];
    const recordedAt = new Date(clock++).toISOString();
    const event = sealEvent(
      { type, payload, occurredAt: recordedAt },
      { eventId: uuidv7(), recordedAt, service, principal: `${service}-principal`, signer },
    );
    messages.push({ topic: definition.topic, key: event.subject, value: Buffer.from(JSON.stringify(event)), event });
    return event;
  };
  const hex = (seed: string) => sha256Hex(Buffer.from(seed));

  const sliceIds: string[] = [];
  for (let d = 0; d < o.datasets; d++) {
    const datasetId = `dataset:scenario/set-${d}`;
    emit('dataset.registered', { datasetId, namespace: 'scenario', name: `set-${d}`, owner: `team-${d}@example.com` });
    const parts = [0, 1, 2].map((p) => ({ path: `part-${p}.parquet`, sizeBytes: 1000 + p, sha256: hex(`${d}/${p}`) }));
    const dsv = datasetVersionId(parts);
    emit('dataset.version.registered', {
      datasetVersionId: dsv,
      datasetId,
      parts,
      rowCount: 100_000,
      source: `s3://lake/set-${d}/`,
      tags: { 'snapshot.date': '2026-10-31', $owner: 'lake' },
    });
    for (let s = 0; s < o.slicesPerDataset; s++) {
      const criteria = {
        source: `source-${s % 3}`,
        sampling: { fraction: 0.5, seed: s },
        filter: { 'region.code': ['EU', 'US'], $and: [[s], []] },
      };
      const sliceId = dataSliceId(dsv, criteria);
      emit('dataset.slice.defined', {
        sliceId,
        datasetVersionId: dsv,
        criteria,
        labels: { 'quality.checked': String(s % 2 === 0), $team: 'ml', 'a.b.c': '%2E' },
        rowCount: 1000 * (s + 1),
      });
      sliceIds.push(sliceId);
    }
  }

  const pipelineIds = [0, 1, 2, 3].map((p) => {
    const pipelineId = `pipeline:features-${p}@1.${p}.0`;
    emit('pipeline.registered', {
      pipelineId,
      name: `features-${p}`,
      version: `1.${p}.0`,
      codeDigest: `git:${hex(`pipeline-${p}`).slice(0, 12)}`,
      steps: [
        { name: 'impute', transform: 'sklearn.impute.SimpleImputer', params: { strategy: 'median', 'fill.value': 0 } },
        { name: 'scale', transform: 'sklearn.preprocessing.StandardScaler' },
      ],
      features: [{ name: `f${p}`, transform: 'log1p', sourceColumns: ['amount'] }],
    });
    return pipelineId;
  });

  const runIds: string[] = [];
  for (let r = 0; r < o.runs; r++) {
    const runId = `run:${uuidv7()}`;
    const inputs = [
      { sliceId: sliceIds[(r * 2) % sliceIds.length], role: 'train' as const, samplingFraction: 0.8 },
      { sliceId: sliceIds[(r * 2 + 1) % sliceIds.length], role: 'validation' as const },
      { sliceId: sliceIds[(r * 3 + 5) % sliceIds.length], role: 'test' as const },
    ];
    emit('training.run.started', {
      runId,
      pipelineId: pipelineIds[r % pipelineIds.length],
      inputs,
      hyperparameters: {
        'optimizer.lr': 0.001 * (r + 1),
        $scale: r,
        layers: [[64, 32], [16]],
        'a.b': { $c: [[]], '': 'empty' },
      },
      seeds: { python: r, numpy: r + 1, torch: r + 2 },
      codeCommit: hex(`commit-${r}`).slice(0, 12),
      environment: {
        imageDigest: `sha256:${hex(`image-${r}`)}`,
        libraries: { torch: '2.5.1', 'scikit-learn': '1.6.0' },
      },
      startedAt: new Date(clock).toISOString(),
      owner: `engineer-${r % 3}`,
    });
    emit('training.run.completed', {
      runId,
      status: 'succeeded',
      endedAt: new Date(clock + 1).toISOString(),
      metrics: { auc: 0.8 + r / 1000, 'loss.final': 0.2 },
    });
    runIds.push(runId);
  }

  const modelVersionIds: string[] = [];
  const artifactOf = new Map<string, string>();
  for (let m = 0; m < o.modelVersions; m++) {
    const name = `model-${m % 10}`;
    const version = `1.${Math.floor(m / 10)}.0`;
    const modelVersionId = `model:${name}@${version}`;
    const digest = `sha256:${hex(`artifact-${m}`)}`;
    emit('model.version.registered', {
      modelVersionId,
      name,
      version,
      runId: runIds[m % runIds.length],
      artifact: { uri: `s3://models/${name}/${version}/`, digest },
    });
    emit('evaluation.recorded', {
      evaluationId: `eval:${uuidv7()}`,
      modelVersionId,
      sliceId: sliceIds[(m * 5) % sliceIds.length],
      metrics: { auc: 0.85, 'recall.at.10': 0.4 },
    });
    modelVersionIds.push(modelVersionId);
    artifactOf.set(modelVersionId, digest);
  }

  const deploymentIds: string[] = [];
  const servedBy = new Map<string, string>();
  for (let d = 0; d < o.deployments; d++) {
    const deploymentId = `deployment:service-${d}`;
    const modelVersionId = modelVersionIds[d];
    emit('deployment.created', {
      deploymentId,
      name: `service-${d}`,
      modelVersionId,
      endpoint: `https://service-${d}.internal.example.com/predict`,
      policy: { captureLevel: d % 2 === 0 ? 'full' : 'standard' },
    });
    emit('model.stage.changed', { modelVersionId, stage: 'production', approvedBy: 'approver' });
    deploymentIds.push(deploymentId);
    servedBy.set(deploymentId, modelVersionId);
  }

  const earlyFlagEvent = emit('dataset.slice.flagged', {
    sliceId: sliceIds[0],
    reason: 'Labels shifted by one day',
    severity: 'high',
  });

  const batches = Math.ceil(o.predictions / o.predictionsPerBatch);
  let predictionIndex = 0;
  const resentIds: string[] = [];
  const conflictingIds: string[] = [];
  let lateFlagEvent: EventOf<'dataset.slice.flagged'> | undefined;
  let betweenFlags = '';
  for (let b = 0; b < batches; b++) {
    if (b === Math.floor(batches / 3)) {
      // A revision mid-stream: the deployment now serves another model version.
      const deploymentId = deploymentIds[b % deploymentIds.length];
      const next = modelVersionIds[o.deployments + (b % (modelVersionIds.length - o.deployments))];
      emit('deployment.revised', { deploymentId, modelVersionId: next });
      servedBy.set(deploymentId, next);
      emit('model.version.revoked', { modelVersionId: modelVersionIds[1], reason: 'Trained on a flagged slice' });
    }
    if (b === Math.floor((batches * 2) / 3)) {
      betweenFlags = new Date(clock).toISOString();
      clock += 1000;
      lateFlagEvent = emit('dataset.slice.flagged', {
        sliceId: sliceIds[1],
        reason: 'A source was double counted',
        severity: 'medium',
      });
    }
    const deploymentId = deploymentIds[b % deploymentIds.length];
    const modelVersionId = servedBy.get(deploymentId) as string;
    const count = Math.min(o.predictionsPerBatch, o.predictions - predictionIndex);
    const at = new Date(clock).toISOString();
    const predictions = Array.from({ length: count }, () => {
      const i = predictionIndex++;
      return {
        predictionId: `pred:scenario-${i}`,
        at,
        inputDigest: `sha256:${hex(`input-${i}`)}`,
        outputDigest: `sha256:${hex(`output-${i}`)}`,
      };
    });
    const original = {
      deploymentId,
      modelVersionId,
      // One deployment loads an artifact other than the registered one: an alert.
      artifactDigest: b % 17 === 5 ? `sha256:${hex('tampered')}` : (artifactOf.get(modelVersionId) as string),
    };
    emit('prediction.batch.recorded', { batchId: `batch:${uuidv7()}`, ...original, predictions });
    if (o.resendEvery > 0) {
      const again = predictions.filter((_, i) => i % o.resendEvery === 0);
      const [same, otherOutput, otherDeployment] = [0, 1, 2].map((turn) => again.filter((_, i) => i % 3 === turn));
      const elsewhere = deploymentIds[(b + 1) % deploymentIds.length];
      const resends = [
        { ...original, predictions: same },
        {
          ...original,
          predictions: otherOutput.map((p) => ({ ...p, outputDigest: `sha256:${hex(`other-${p.predictionId}`)}` })),
        },
        {
          deploymentId: elsewhere,
          modelVersionId: servedBy.get(elsewhere) as string,
          artifactDigest: artifactOf.get(servedBy.get(elsewhere) as string) as string,
          predictions: otherDeployment,
        },
      ];
      for (const resend of resends.filter((r) => r.predictions.length > 0)) {
        emit('prediction.batch.recorded', { batchId: `batch:${uuidv7()}`, ...resend });
      }
      resentIds.push(...again.map((p) => p.predictionId));
      conflictingIds.push(...[...otherOutput, ...otherDeployment].map((p) => p.predictionId));
    }
  }

  const poison = [Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), Buffer.from('{"type":"prediction.batch.recorded"}')];
  for (const value of poison) messages.push({ topic: 'provenance.inference.v1', key: 'poison', value });

  if (!lateFlagEvent) throw new Error('a scenario needs at least three prediction batches');
  return {
    messages,
    signers,
    sliceIds,
    modelVersionIds,
    deploymentIds,
    predictionCount: predictionIndex,
    resentIds,
    conflictingIds,
    earlyFlag: { sliceId: sliceIds[0], recordedAt: earlyFlagEvent.recordedAt },
    lateFlag: { sliceId: sliceIds[1], recordedAt: lateFlagEvent.recordedAt },
    betweenFlags,
    poisonCount: poison.length,
  };
}
