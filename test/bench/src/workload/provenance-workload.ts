import {
  CurrentPayloads,
  DEFAULT_TOPIC_PARTITIONS,
  EVENT_CATALOG,
  EventOf,
  EventType,
  TopicName,
} from '@prov/contracts';
import { partitionForKey } from '@prov/event-log';
import { dataSliceId, datasetVersionId, generateSigningKeyPair, sha256Hex, SigningKeyPair } from '@prov/integrity';
import { sealEvent } from '@prov/publishing';
import type { ScenarioService } from '@prov/testing';
import { v7 as uuidv7 } from 'uuid';

export interface WorkloadMessage {
  topic: TopicName;
  key: string;
  value: Buffer;
}

const DATASETS = 5;
const SLICES_PER_VERSION = 2;
const PIPELINES = 10;
/** Model versions registered from one training run (its checkpoints). */
const MODELS_PER_RUN = 10;
/** Deployments, each serving one model version: most versions are never deployed. */
const DEPLOYMENTS = 20;
/** The training-topic partition every upstream entity and run is keyed to (see below). */
const LINEAGE_PARTITION = 0;

/**
 * The bench's provenance history, sealed and signed as the producing
 * services would: datasets with one snapshot each, slices, pipelines,
 * training runs (each registering MODELS_PER_RUN model versions), `models`
 * model versions, DEPLOYMENTS deployments serving some of them; then
 * prediction batches made deterministically from their index (batch `b`
 * holds predictions `b * size ... b * size + size - 1`, from deployment
 * `b % DEPLOYMENTS`), so that any scale is the first batches.
 *
 * The lineage comes in stages, each to be folded before the next is
 * published, and every training-topic event is keyed to one partition
 * (read in publish order, upstream first): no entity is then folded after
 * its dependents, which would recompute every model version reading it in
 * one fold: the lineage row measures folding, not that recomputation.
 */
export class ProvenanceWorkload {
  readonly signers: Record<ScenarioService, SigningKeyPair> = {
    'training-service': generateSigningKeyPair(),
    'registry-service': generateSigningKeyPair(),
    'inference-service': generateSigningKeyPair(),
  };
  private clock = Date.parse('2026-11-01T00:00:00.000Z');
  private readonly artifacts: string[] = [];
  private readonly datasetVersions: string[] = [];

  constructor(
    readonly models: number,
    readonly predictionsPerBatch: number,
  ) {
    for (let m = 0; m < models; m++) this.artifacts.push(`sha256:${sha256Hex(`artifact-${m}`)}`);
  }

  /** What the projector is told to trust (PROV_TRUSTED_KEYS). */
  trustedKeysJson(): string {
    return JSON.stringify({
      keys: Object.entries(this.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
    });
  }

  static predictionId(index: number): string {
    return `pred:bench-${index}`;
  }

  static modelVersionId(index: number): string {
    return `model:bench-${index % 100}@1.${Math.floor(index / 100)}.0`;
  }

  static deploymentId(index: number): string {
    return `deployment:bench-${index}`;
  }

  /**
   * The dataset versions of the lineage (the same at every call of
   * lineageStages): every model version was trained on slices of one of
   * them, so their impacts together cover every served prediction.
   */
  get datasetVersionIds(): readonly string[] {
    if (this.datasetVersions.length === 0) throw new Error('the lineage has not been made yet');
    return this.datasetVersions;
  }

  /**
   * Every lineage event, upstream first, in three stages: the training
   * topic's (data, pipelines, runs), the model versions, the deployments.
   */
  lineageStages(): WorkloadMessage[][] {
    const stages: WorkloadMessage[][] = [[], [], []];
    let stage = 0;
    const emit = <T extends EventType>(type: T, payload: CurrentPayloads[T]) =>
      stages[stage].push(this.message(this.seal(type, payload)));

    const sliceIds: string[] = [];
    for (let d = 0; d < DATASETS; d++) {
      const name = onLineagePartition(
        (salt) => `table-${d}-${salt}`,
        (n) => `dataset:bench/${n}`,
      );
      const datasetId = `dataset:bench/${name}`;
      emit('dataset.registered', { datasetId, namespace: 'bench', name, owner: `team-${d}@example.com` });
      const snapshot = onLineagePartition(
        (salt) => `2026-10-31-${salt}`,
        (snap) => datasetVersionId(partsOf(d, snap)),
      );
      const parts = partsOf(d, snapshot);
      const dsv = datasetVersionId(parts);
      if (!this.datasetVersions.includes(dsv)) this.datasetVersions.push(dsv);
      emit('dataset.version.registered', {
        datasetVersionId: dsv,
        datasetId,
        parts,
        rowCount: 1_000_000,
        source: `s3://lake/${name}/${snapshot}/`,
        tags: { snapshot },
      });
      for (let s = 0; s < SLICES_PER_VERSION; s++) {
        const source = onLineagePartition(
          (salt) => `source-${s}-${salt}`,
          (src) => dataSliceId(dsv, { source: src, sampling: { fraction: 0.5, seed: s } }),
        );
        const criteria = { source, sampling: { fraction: 0.5, seed: s } };
        const sliceId = dataSliceId(dsv, criteria);
        emit('dataset.slice.defined', {
          sliceId,
          datasetVersionId: dsv,
          criteria,
          labels: { purpose: s % 2 === 0 ? 'training' : 'validation' },
          rowCount: 100_000 * (s + 1),
        });
        sliceIds.push(sliceId);
      }
    }

    const pipelineIds: string[] = [];
    for (let p = 0; p < PIPELINES; p++) {
      const name = onLineagePartition(
        (salt) => `features-${p}-${salt}`,
        (n) => `pipeline:${n}@1.${p}.0`,
      );
      const pipelineId = `pipeline:${name}@1.${p}.0`;
      emit('pipeline.registered', {
        pipelineId,
        name,
        version: `1.${p}.0`,
        codeDigest: `git:${sha256Hex(`pipeline-${p}`).slice(0, 12)}`,
        steps: [
          { name: 'impute', transform: 'sklearn.impute.SimpleImputer', params: { strategy: 'median' } },
          { name: 'scale', transform: 'sklearn.preprocessing.StandardScaler' },
        ],
        features: [{ name: `f${p}`, transform: 'log1p', sourceColumns: ['amount'] }],
      });
      pipelineIds.push(pipelineId);
    }

    const runIds: string[] = [];
    for (let r = 0; r < Math.ceil(this.models / MODELS_PER_RUN); r++) {
      const runId = onLineagePartition(
        () => `run:${uuidv7()}`,
        (id) => id,
      );
      emit('training.run.started', {
        runId,
        pipelineId: pipelineIds[r % PIPELINES],
        inputs: [
          { sliceId: sliceIds[(r * 2) % sliceIds.length], role: 'train', samplingFraction: 0.8 },
          { sliceId: sliceIds[(r * 2 + 1) % sliceIds.length], role: 'validation' },
        ],
        hyperparameters: { 'optimizer.lr': 0.001 * ((r % 10) + 1), layers: [64, 32], epochs: 20 },
        seeds: { python: r, numpy: r + 1, torch: r + 2 },
        codeCommit: sha256Hex(`commit-${r}`).slice(0, 12),
        environment: { imageDigest: `sha256:${sha256Hex(`image-${r % 10}`)}`, libraries: { torch: '2.5.1' } },
        startedAt: new Date(this.clock).toISOString(),
        owner: `engineer-${r % 5}`,
      });
      emit('training.run.completed', {
        runId,
        status: 'succeeded',
        endedAt: new Date(this.clock + 1).toISOString(),
        metrics: { auc: 0.8 + (r % 100) / 1000, 'loss.final': 0.2 },
      });
      runIds.push(runId);
    }

    stage = 1;
    for (let m = 0; m < this.models; m++) {
      const modelVersionId = ProvenanceWorkload.modelVersionId(m);
      const [, name, version] = /^model:(.+)@(.+)$/.exec(modelVersionId) as RegExpExecArray;
      emit('model.version.registered', {
        modelVersionId,
        name,
        version,
        runId: runIds[Math.floor(m / MODELS_PER_RUN)],
        artifact: { uri: `s3://models/${name}/${version}/`, digest: this.artifacts[m] },
      });
    }

    stage = 2;
    for (let d = 0; d < this.deployments; d++) {
      emit('deployment.created', {
        deploymentId: ProvenanceWorkload.deploymentId(d),
        name: `bench-${d}`,
        modelVersionId: ProvenanceWorkload.modelVersionId(this.servedModel(d)),
        endpoint: `https://bench-${d}.internal.example.com/predict`,
        policy: { captureLevel: d % 2 === 0 ? 'full' : 'standard' },
      });
    }
    return stages;
  }

  /** Prediction batch `batch`, sealed and signed by the inference service. */
  predictionBatch(batch: number): EventOf<'prediction.batch.recorded'> {
    const d = batch % this.deployments;
    const m = this.servedModel(d);
    const at = new Date(this.clock).toISOString();
    const first = batch * this.predictionsPerBatch;
    return this.seal('prediction.batch.recorded', {
      batchId: `batch:${uuidv7()}`,
      deploymentId: ProvenanceWorkload.deploymentId(d),
      modelVersionId: ProvenanceWorkload.modelVersionId(m),
      artifactDigest: this.artifacts[m],
      predictions: Array.from({ length: this.predictionsPerBatch }, (_, i) => ({
        predictionId: ProvenanceWorkload.predictionId(first + i),
        at,
        inputDigest: `sha256:${sha256Hex(`input-${first + i}`)}`,
        outputDigest: `sha256:${sha256Hex(`output-${first + i}`)}`,
      })),
    });
  }

  /**
   * The same predictions as `original`, sent again in a batch of their own
   * (its own batch and event id), as a scoring job that retries a batch
   * would send them: same deployment, model version, artifact and content.
   */
  resentBatch(original: EventOf<'prediction.batch.recorded'>): EventOf<'prediction.batch.recorded'> {
    return this.seal('prediction.batch.recorded', { ...original.payload, batchId: `batch:${uuidv7()}` });
  }

  get deployments(): number {
    return Math.min(DEPLOYMENTS, this.models);
  }

  /** The model version deployment `d` serves, spread over the versions. */
  private servedModel(d: number): number {
    return Math.floor((d * this.models) / this.deployments);
  }

  message(event: EventOf<EventType>): WorkloadMessage {
    return {
      topic: EVENT_CATALOG[event.type].topic,
      key: event.subject,
      value: Buffer.from(JSON.stringify(event)),
    };
  }

  private seal<T extends EventType>(type: T, payload: CurrentPayloads[T]): EventOf<T> {
    const service = serviceOf(type);
    const recordedAt = new Date(this.clock++).toISOString();
    return sealEvent(
      { type, payload, occurredAt: recordedAt },
      { eventId: uuidv7(), recordedAt, service, principal: `${service}-bench`, signer: this.signers[service] },
    );
  }
}

function serviceOf(type: EventType): ScenarioService {
  if (type === 'prediction.batch.recorded') return 'inference-service';
  if (type.startsWith('model.') || type.startsWith('deployment.')) return 'registry-service';
  return 'training-service';
}

function partsOf(dataset: number, snapshot: string) {
  return [0, 1, 2].map((p) => ({
    path: `${snapshot}/part-${p}.parquet`,
    sizeBytes: 1_000_000 + p,
    sha256: sha256Hex(`${dataset}/${snapshot}/${p}`),
  }));
}

/** The first `candidate(salt)` whose subject (`subjectOf`) Kafka's partitioner puts on LINEAGE_PARTITION. */
function onLineagePartition(candidate: (salt: number) => string, subjectOf: (value: string) => string): string {
  for (let salt = 0; ; salt++) {
    const value = candidate(salt);
    if (partitionForKey(subjectOf(value), DEFAULT_TOPIC_PARTITIONS) === LINEAGE_PARTITION) return value;
  }
}
