/**
 * Stable identifiers of the domain. Every id carries
 * its kind as a prefix so that a bare id says what it names.
 */
const NAME = '[A-Za-z0-9][A-Za-z0-9._-]{0,127}';
const VERSION = '[A-Za-z0-9][A-Za-z0-9._+-]{0,63}';
const HEX64 = '[0-9a-f]{64}';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const CLIENT_ID = '[A-Za-z0-9][A-Za-z0-9._:-]{0,199}';

export const ID_PATTERNS = {
  dataset: new RegExp(`^dataset:${NAME}/${NAME}$`),
  datasetVersion: new RegExp(`^dsv:sha256:${HEX64}$`),
  dataSlice: new RegExp(`^slice:sha256:${HEX64}$`),
  pipeline: new RegExp(`^pipeline:${NAME}@${VERSION}$`),
  trainingRun: new RegExp(`^run:${UUID}$`),
  evaluation: new RegExp(`^eval:${UUID}$`),
  modelVersion: new RegExp(`^model:${NAME}@${VERSION}$`),
  deployment: new RegExp(`^deployment:${NAME}$`),
  prediction: new RegExp(`^pred:${CLIENT_ID}$`),
  predictionBatch: new RegExp(`^batch:${UUID}$`),
  auditLog: new RegExp(`^auditlog:${NAME}$`),
  deadLetter: new RegExp(`^deadletter:${NAME}/\\d{1,9}/\\d{1,19}$`),
  /** An OpenLineage event as received: the digest of its canonical JSON. */
  openLineageEvent: new RegExp(`^olevent:sha256:${HEX64}$`),
  /** An OpenLineage job, by its namespace and name (each cleaned into a name as a dataset's are). */
  job: new RegExp(`^job:${NAME}/${NAME}$`),
} as const;

export type EntityKind = keyof typeof ID_PATTERNS;

/** Human-readable form of each id, used in validation messages. */
export const ID_SHAPES: Record<EntityKind, string> = {
  dataset: 'dataset:<namespace>/<name>',
  datasetVersion: 'dsv:sha256:<64 lowercase hex>',
  dataSlice: 'slice:sha256:<64 lowercase hex>',
  pipeline: 'pipeline:<name>@<version>',
  trainingRun: 'run:<uuid>',
  evaluation: 'eval:<uuid>',
  modelVersion: 'model:<name>@<version>',
  deployment: 'deployment:<name>',
  prediction: 'pred:<client id>',
  predictionBatch: 'batch:<uuid>',
  auditLog: 'auditlog:<name>',
  deadLetter: 'deadletter:<topic>/<partition>/<offset>',
  openLineageEvent: 'olevent:sha256:<64 lowercase hex>',
  job: 'job:<namespace>/<name>',
};

export const NAME_PATTERN = new RegExp(`^${NAME}$`);
export const VERSION_PATTERN = new RegExp(`^${VERSION}$`);
export const DIGEST_PATTERN = new RegExp(`^sha256:${HEX64}$`);
export const SHA256_HEX_PATTERN = new RegExp(`^${HEX64}$`);

export function isEntityId(kind: EntityKind, value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERNS[kind].test(value);
}

export const datasetId = (namespace: string, name: string): string => `dataset:${namespace}/${name}`;
export const jobId = (namespace: string, name: string): string => `job:${namespace}/${name}`;
export const pipelineId = (name: string, version: string): string => `pipeline:${name}@${version}`;
export const modelVersionId = (name: string, version: string): string => `model:${name}@${version}`;
export const deploymentId = (name: string): string => `deployment:${name}`;
export const trainingRunId = (uuid: string): string => `run:${uuid}`;
export const evaluationId = (uuid: string): string => `eval:${uuid}`;
export const predictionId = (clientId: string): string =>
  clientId.startsWith('pred:') ? clientId : `pred:${clientId}`;
export const predictionBatchId = (uuid: string): string => `batch:${uuid}`;
export const auditLogId = (name: string): string => `auditlog:${name}`;
export const deadLetterId = (topic: string, partition: number, offset: string): string =>
  `deadletter:${topic}/${partition}/${offset}`;
