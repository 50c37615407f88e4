import type { DataSliceCriteria, DeploymentPolicy, JsonValue, SealedValue, TrainingInput } from '@prov/contracts';
import {
  servingWindows,
  type DatasetPart,
  type DatasetVersionPart,
  type DeploymentNode,
  type EvaluationPart,
  type EventRef,
  type ModelLineageDocument,
  type ModelVersionPart,
  type PipelinePart,
  readRecordedPredictions,
  type RecordedPrediction,
  type RunPart,
  type ServingWindow,
  type SlicePart,
  type SliceUse,
  type ViewReader,
} from '@prov/projections';
import { codeUnitOrder } from './ordering';
import { redactSensitive, type RedactedValue } from './redaction';

export type TraceLevel = 'standard' | 'full';

export interface TraceOptions {
  level: TraceLevel;
  /** Sensitive values as they are (auditors, see `mayReadSensitive` of libs/auth), or as their digests. */
  revealSensitive: boolean;
}

/** The answer to "what produced this prediction?" (API `GET /v1/predictions/{id}/trace`). */
export interface PredictionTrace {
  level: TraceLevel;
  prediction: TracedPrediction;
  /** Null when the deployment the prediction names is not known. */
  deployment: TracedDeployment | null;
  /** Null when the model version the prediction names is not registered. */
  modelVersion: ModelVersionPart | null;
  run: TracedRun | null;
  pipeline: PipelinePart | null;
  slices: TracedSlice[];
  datasetVersions: DatasetVersionPart[];
  datasets: TracedDataset[];
  /** Only at `full`: per-slice metrics. */
  evaluations?: EvaluationPart[];
  completeness: TraceCompleteness;
  integrity: IntegrityLink[];
}

export interface TracedPrediction {
  id: string;
  batchId: string;
  deploymentId: string;
  modelVersionId: string;
  /** The artifact the serving process reported it had loaded. */
  artifactDigest: string;
  at: string;
  recordedAt: string;
  inputDigest: string;
  outputDigest?: string;
  /** Only at `full`. Sealed for a data subject, it is opened (or shown erased) by the gateway, which holds the keys. */
  output?: JsonValue | RedactedValue | SealedValue;
  featureSnapshot?: string | RedactedValue | SealedValue;
  /** Whom the sealed values are about. */
  dataSubject?: string | RedactedValue;
}

export interface TracedDeployment {
  id: string;
  /** False while only revisions of the deployment have arrived. */
  known: boolean;
  name: string | null;
  endpoint: string | null;
  policy: DeploymentPolicy | null;
  /** The revision in force when the prediction was made; null if it predates every revision. */
  revision: ServingWindow | null;
  /** Whether that revision served the model version the prediction names. */
  servedModelMatches: boolean;
}

/** At `standard` the run's hyperparameters, seeds, environment and sampling fractions are left out. */
export type TracedRun = Omit<RunPart, 'hyperparameters' | 'seeds' | 'environment' | 'inputs'> &
  Partial<Pick<RunPart, 'hyperparameters' | 'seeds' | 'environment'>> & { inputs: TrainingInput[] };

export type TracedSlice = Omit<SlicePart, 'uses' | 'criteria'> & {
  criteria: (Omit<DataSliceCriteria, 'filter'> & { filter?: JsonValue | RedactedValue }) | null;
  /** Only at `full`: the fraction the run sampled of the slice in each role. */
  uses?: SliceUse[];
};

export type TracedDataset = Omit<DatasetPart, 'owner'> & { owner: string | RedactedValue | null };

export interface TraceCompleteness {
  level: TraceLevel;
  complete: boolean;
  /** The lineage's missing paths at this level, then the prediction's own missing links. */
  missing: string[];
}

/** The event behind one link of the trace, for a verifier to fetch, re-digest and prove. */
export interface IntegrityLink {
  link: string;
  eventId: string;
  type: string;
  recordedAt: string;
  payloadDigest: string;
  /** Where the gateway serves the event's inclusion proof in the signed audit log. */
  proof: string;
}

/** The gateway's route of an event's audit-log inclusion proof. */
export const proofPathOf = (eventId: string) => `/v1/audit/events/${eventId}/proof`;

/**
 * Assembles a prediction's trace from a few point reads: the prediction (and its batch),
 * its deployment's node and its model version's lineage (which already holds
 * the whole upstream closure). Undefined when the prediction is unknown.
 */
export async function traceOfPrediction(
  views: ViewReader,
  predictionId: string,
  options: TraceOptions,
): Promise<PredictionTrace | undefined> {
  const prediction = (await readRecordedPredictions(views, [predictionId])).get(predictionId);
  if (!prediction) return undefined;
  const [deployments, lineages] = await Promise.all([
    views.get('nodes', [prediction.deploymentId]),
    views.get('model_lineage', [prediction.modelVersionId]),
  ]);
  const deploymentNode = deployments.get(prediction.deploymentId) as DeploymentNode | undefined;
  const lineage = lineages.get(prediction.modelVersionId) as ModelLineageDocument | undefined;
  return assembleTrace(prediction, deploymentNode, lineage, options);
}

function assembleTrace(
  prediction: RecordedPrediction,
  deploymentNode: DeploymentNode | undefined,
  lineage: ModelLineageDocument | undefined,
  { level, revealSensitive }: TraceOptions,
): PredictionTrace {
  const full = level === 'full';
  const deployment = deploymentNode ? traceDeployment(deploymentNode, prediction) : null;
  const trace: PredictionTrace = {
    level,
    prediction: tracePrediction(prediction, full),
    deployment,
    modelVersion: lineage?.modelVersion ?? null,
    run: lineage?.run ? traceRun(lineage.run, full) : null,
    pipeline: lineage?.pipeline ?? null,
    slices: (lineage?.slices ?? []).map((slice) => traceSlice(slice, full)),
    datasetVersions: lineage?.datasetVersions ?? [],
    datasets: lineage?.datasets ?? [],
    ...(full ? { evaluations: lineage?.evaluations ?? [] } : {}),
    completeness: traceCompleteness(prediction, deploymentNode, lineage, level),
    integrity: integrityLinks(prediction, deploymentNode, deployment, lineage, full),
  };
  return revealSensitive ? trace : redactTrace(trace);
}

function tracePrediction(prediction: RecordedPrediction, full: boolean): TracedPrediction {
  const { _id, batchId, deploymentId, modelVersionId, artifactDigest, at, recordedAt, inputDigest } = prediction;
  const output = prediction.sealedOutput ?? prediction.output;
  const featureSnapshot = prediction.sealedFeatureSnapshot ?? prediction.featureSnapshot;
  return {
    id: _id,
    batchId,
    deploymentId,
    modelVersionId,
    artifactDigest,
    at,
    recordedAt,
    inputDigest,
    ...(prediction.outputDigest === undefined ? {} : { outputDigest: prediction.outputDigest }),
    ...(full && output !== undefined ? { output } : {}),
    ...(featureSnapshot === undefined ? {} : { featureSnapshot }),
    ...(prediction.dataSubject === undefined ? {} : { dataSubject: prediction.dataSubject }),
  };
}

function traceDeployment(node: DeploymentNode, prediction: RecordedPrediction): TracedDeployment {
  const revision = windowAt(servingWindows(node), prediction.at);
  return {
    id: node._id,
    known: node.definition !== undefined,
    name: node.definition?.name ?? null,
    endpoint: node.definition?.endpoint ?? null,
    policy: node.definition?.policy ?? null,
    revision,
    servedModelMatches: revision?.modelVersionId === prediction.modelVersionId,
  };
}

/** The window whose start is at or before `at` and whose end (if any) is after it. */
function windowAt(windows: ServingWindow[], at: string): ServingWindow | null {
  const time = Date.parse(at);
  return (
    windows.find((window) => Date.parse(window.from) <= time && (window.to === null || time < Date.parse(window.to))) ??
    null
  );
}

function traceRun(run: RunPart, full: boolean): TracedRun {
  if (full) return run;
  const { hyperparameters: _h, seeds: _s, environment: _e, inputs, ...standard } = run;
  return { ...standard, inputs: inputs.map(({ sliceId, role }) => ({ sliceId, role })) };
}

/** The slice's own criteria stay whole at every level: the slice id is their digest. */
function traceSlice(slice: SlicePart, full: boolean): TracedSlice {
  if (full) return slice;
  const { uses: _uses, ...standard } = slice;
  return standard;
}

function traceCompleteness(
  prediction: RecordedPrediction,
  deploymentNode: DeploymentNode | undefined,
  lineage: ModelLineageDocument | undefined,
  level: TraceLevel,
): TraceCompleteness {
  const missing = lineage ? [...lineage.completeness[level].missing] : [];
  if (!deploymentNode?.definition) missing.push('deployment');
  if (!lineage) missing.push('modelVersion');
  else if (lineage.modelVersion.artifact.digest !== prediction.artifactDigest)
    missing.push('prediction.artifactDigest');
  return { level, complete: missing.length === 0, missing };
}

function integrityLinks(
  prediction: RecordedPrediction,
  deploymentNode: DeploymentNode | undefined,
  deployment: TracedDeployment | null,
  lineage: ModelLineageDocument | undefined,
  full: boolean,
): IntegrityLink[] {
  const links: IntegrityLink[] = [
    {
      link: 'prediction',
      eventId: prediction.eventId,
      type: 'prediction.batch.recorded',
      recordedAt: prediction.recordedAt,
      payloadDigest: prediction.payloadDigest,
      proof: proofPathOf(prediction.eventId),
    },
  ];
  const add = (link: string, event: EventRef | null | undefined) => {
    if (event) links.push({ link, ...refOf(event) });
  };
  add('deployment', deploymentNode?.definition?.event);
  add('deployment.revision', revisionEvent(deploymentNode, deployment?.revision ?? null));
  if (!lineage) return links;
  add('modelVersion', lineage.modelVersion.event);
  add('run', lineage.run?.event);
  add('run.completion', lineage.run?.completion?.event);
  add('pipeline', lineage.pipeline?.event);
  for (const slice of lineage.slices) add(`slices[${slice.id}]`, slice.event);
  for (const version of lineage.datasetVersions) add(`datasetVersions[${version.id}]`, version.event);
  for (const dataset of lineage.datasets) add(`datasets[${dataset.id}]`, dataset.event);
  if (full) for (const evaluation of lineage.evaluations) add(`evaluations[${evaluation.id}]`, evaluation.event);
  return links;
}

/** The earliest-recorded revision that opened the window (two may name the same start). */
function revisionEvent(node: DeploymentNode | undefined, window: ServingWindow | null): EventRef | undefined {
  if (!node || !window) return undefined;
  return Object.values(node.revisions ?? {})
    .filter((r) => r.modelVersionId === window.modelVersionId && r.effectiveFrom === window.from)
    .map((r) => r.event)
    .sort((a, b) => codeUnitOrder(a.recordedAt, b.recordedAt))[0];
}

function refOf({ eventId, type, recordedAt, payloadDigest }: EventRef): Omit<IntegrityLink, 'link'> {
  return { eventId, type, recordedAt, payloadDigest, proof: proofPathOf(eventId) };
}

/** Each part is redacted by the sensitive paths of the event type its fields came from. */
function redactTrace(trace: PredictionTrace): PredictionTrace {
  return {
    ...trace,
    prediction: redactSensitive('prediction.batch.recorded', trace.prediction, 'predictions'),
    modelVersion: trace.modelVersion && redactSensitive('model.version.registered', trace.modelVersion),
    run: trace.run && redactSensitive('training.run.started', trace.run),
    pipeline: trace.pipeline && redactSensitive('pipeline.registered', trace.pipeline),
    slices: trace.slices.map((slice) => redactSensitive('dataset.slice.defined', slice)),
    datasetVersions: trace.datasetVersions.map((version) => redactSensitive('dataset.version.registered', version)),
    datasets: trace.datasets.map((dataset) => redactSensitive('dataset.registered', dataset)),
    ...(trace.evaluations
      ? { evaluations: trace.evaluations.map((evaluation) => redactSensitive('evaluation.recorded', evaluation)) }
      : {}),
  };
}
